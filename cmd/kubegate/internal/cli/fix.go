package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/spf13/pflag"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/fix"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/engine/output"
	"github.com/kubegate/kubegate/schema"
)

// fixOptions are lint's --fix and --diff.
type fixOptions struct {
	fix  bool
	diff bool
}

func (f *fixOptions) addFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&f.fix, "fix", false, "rewrite files in place to fix what has a mechanical fix ("+strings.Join(fix.Rules(), ", ")+"), then report what remains")
	fs.BoolVar(&f.diff, "diff", false, "print the fixes --fix would make as a unified diff on stdout and write nothing (also with --fix); exit 1 when there is one")
}

// fixInput is what the fixing pass shares with the lint that follows it.
type fixInput struct {
	loader        *manifest.Loader
	paths         []string
	engine        *engine.Engine
	targetVersion string
	maxFileSize   int64
	// errs are the errors the run had before reading any manifest (users'
	// policies that do not compile): --diff ends the run, so it reports
	// them, as it reports the input errors of its own read.
	errs []*engine.FileError
}

// run is the fixing pass of lint --fix and --diff, before the lint
// itself. It lints the paths with the lint's engine and fixes, file by
// file, the findings that have a fix; then --fix writes the files and
// returns those it could not write (for the report of the lint that
// follows, which reads the fixed files and reports what remains), and
// --diff prints the diff and ends the run, with exit code 1 when there is
// one. Notes on what was fixed and what was not go to stderr, so that
// stdout keeps the report, or the diff, alone.
func (f *fixOptions) run(ctx context.Context, streams IO, in fixInput) ([]*engine.FileError, error) {
	if !f.fix && !f.diff {
		return nil, nil
	}
	p := &fixPass{streams: streams, diff: f.diff}
	if in.targetVersion != "" {
		v, err := schema.ParseVersion(in.targetVersion)
		if err != nil {
			return nil, usageError("--target-version: %v", err)
		}
		p.opts.TargetVersion = v
	}
	loader := in.loader
	if slices.Contains(in.paths, "-") {
		if !f.diff {
			return nil, usageError("--fix rewrites files, and stdin (-) is not one: use --diff to see the fixes for stdin, or name the file")
		}
		// Read once, for the lint and for the fix; the lint reports an
		// input over the limit.
		data, err := io.ReadAll(io.LimitReader(streams.In, in.maxFileSize+1))
		if err != nil {
			return nil, &exitError{code: ExitError, err: fmt.Errorf("read stdin: %w", err)}
		}
		p.stdin = data
		l := *loader
		l.Stdin = bytes.NewReader(data)
		loader = &l
	}

	loaded := loader.Load(ctx, in.paths)
	res, err := in.engine.Run(ctx, loaded.Objects, engine.NewInventory(loaded.Objects))
	if err != nil {
		return nil, &exitError{code: ExitError, err: err}
	}
	p.findings = res.Findings
	if f.diff {
		// No lint follows a diff to report these: the diff's exit code
		// must show them (2), as lint's would.
		p.errs = append(p.errs, in.errs...)
		p.errs = append(p.errs, loaded.Errors...)
		p.errs = append(p.errs, output.RuleErrors(res.Errors)...)
	}
	byFile := map[string][]*engine.Object{}
	for _, o := range loaded.Objects {
		file := o.Source.File
		if o.Source.Origin != "" {
			file = o.Source.Origin
		}
		byFile[file] = append(byFile[file], o)
	}
	broken := map[string]bool{}
	for _, e := range loaded.Errors {
		broken[e.File] = true
	}
	done := map[string]bool{}
	for _, file := range loaded.Files {
		// A file named twice, or through a link and by its own name, is
		// fixed once: its findings are those of the text read before.
		real := file
		if r, err := filepath.EvalSymlinks(file); err == nil {
			real = r
		}
		if done[real] {
			continue
		}
		done[real] = true
		name := file
		if file == "-" {
			name = manifest.StdinName
		}
		if err := p.file(file, name, byFile[name], broken[name]); err != nil {
			return nil, err
		}
	}
	return p.finish()
}

// fixPass is the state of one fixing pass over the files of a run.
type fixPass struct {
	streams  IO
	diff     bool
	opts     fix.Options
	stdin    []byte
	findings []engine.Finding

	diffs              strings.Builder
	errs               []*engine.FileError
	fixed, left, files int
}

// file fixes one file (file as named on the command line, name as
// findings report it), whose objects are objs.
func (p *fixPass) file(file, name string, objs []*engine.Object, broken bool) error {
	if len(objs) == 0 {
		// Nothing to fix: an empty file, one that did not parse at all, or
		// a chart or kustomization that did not render (which is not a
		// file to read; its errors are reported with the run's).
		return nil
	}
	if reason := unfixable(name, objs, broken); reason != "" {
		for _, fd := range fixableFindings(p.findings, objs) {
			p.left++
			p.note(fd, "no fix", reason)
		}
		return nil
	}
	data := p.stdin
	if file != "-" {
		var err error
		if data, err = os.ReadFile(file); err != nil {
			p.errs = append(p.errs, &engine.FileError{Location: engine.Location{File: file}, Err: fmt.Errorf("read manifest to fix: %w", err)})
			return nil
		}
	}
	r := fix.File(name, data, objs, p.findings, p.opts)
	for _, c := range r.Changes {
		p.note(c.Finding, "fix", c.Description)
	}
	for _, s := range r.Skips {
		p.note(s.Finding, "no fix", s.Reason)
	}
	p.fixed, p.left = p.fixed+len(r.Changes), p.left+len(r.Skips)
	if !r.Changed() {
		return nil
	}
	p.files++
	if !p.diff {
		if err := writeAtomic(file, r.Data); err != nil {
			p.errs = append(p.errs, &engine.FileError{Location: engine.Location{File: file}, Err: err})
		}
		return nil
	}
	// As git does: a/ and b/ before the path, an absolute one without its
	// leading slash.
	label := strings.TrimPrefix(filepath.ToSlash(filepath.Clean(name)), "/")
	d, err := udiff.ToUnified("a/"+label, "b/"+label, string(data), udiff.Lines(string(data), string(r.Data)), udiff.DefaultContextLines)
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("diff %s: %w", name, err)}
	}
	p.diffs.WriteString(renumberHunks(d))
	return nil
}

// renumberHunks rewrites the new-file start of every hunk header of a
// unified diff from the hunks before it: go-udiff (v0.4.1, as gopls' diff
// it comes from, golang/go#81453) does not advance its new-file line count
// over edits it merges into one hunk, so from the second hunk on the "+"
// start can be wrong. The old-file side, and every hunk's lines, are right;
// the new start is the old start moved by what the earlier hunks added and
// removed. Tools that apply a diff by its old side (git apply, patch) never
// noticed; review tools and diff parsers that read the new side did.
func renumberHunks(d string) string {
	lines := strings.SplitAfter(d, "\n")
	delta := 0
	for i := 0; i < len(lines); i++ {
		var oldStart, oldCount, newStart, newCount int
		if !strings.HasPrefix(lines[i], "@@ ") {
			continue
		}
		if _, err := fmt.Sscanf(lines[i], "@@ -%d,%d +%d,%d @@", &oldStart, &oldCount, &newStart, &newCount); err != nil {
			// A one-line range ("-5" for "-5,1") or an empty one: keep it
			// as written, and let the counts below keep delta right.
			oldCount, newCount = -1, -1
		}
		// Count the hunk's own lines: a context line is on both sides.
		old, added := 0, 0
		for j := i + 1; j < len(lines) && !strings.HasPrefix(lines[j], "@@ "); j++ {
			switch {
			case strings.HasPrefix(lines[j], " "):
				old++
				added++
			case strings.HasPrefix(lines[j], "-"):
				old++
			case strings.HasPrefix(lines[j], "+"):
				added++
			}
		}
		if oldCount == old && newCount == added && oldCount > 0 && newCount > 0 {
			lines[i] = fmt.Sprintf("@@ -%d,%d +%d,%d @@\n", oldStart, oldCount, oldStart+delta, newCount)
		}
		delta += added - old
	}
	return strings.Join(lines, "")
}

// note tells on stderr what became of one finding, at its file:line:col.
func (p *fixPass) note(f engine.Finding, what, text string) {
	_, _ = fmt.Fprintf(p.streams.Err, "%s:%d:%d: %s [%s]: %s\n", f.Location.File, f.Location.Line, f.Location.Column, what, f.RuleID, text)
}

// finish prints the summary, and under --diff the diff, and says how the
// run goes on.
func (p *fixPass) finish() ([]*engine.FileError, error) {
	verb := "fixed"
	if p.diff {
		verb = "fixable"
	}
	_, _ = fmt.Fprintf(p.streams.Err, "kubegate: %d %s %s in %d %s, %d left as written\n",
		p.fixed, pluralWord(p.fixed, "finding"), verb, p.files, pluralWord(p.files, "file"), p.left)
	if !p.diff {
		return p.errs, nil
	}
	if _, err := io.WriteString(p.streams.Out, p.diffs.String()); err != nil {
		return nil, &exitError{code: ExitError, err: fmt.Errorf("write diff: %w", err)}
	}
	for _, e := range p.errs {
		_, _ = fmt.Fprintf(p.streams.Err, "kubegate: %v\n", e)
	}
	switch {
	case len(p.errs) > 0:
		return nil, &exitError{code: ExitError}
	case p.diffs.Len() > 0:
		return nil, &exitError{code: ExitFindings}
	}
	// The run ends here, successfully: no lint follows a diff.
	return nil, &exitError{code: ExitOK}
}

// unfixable says why a file's findings cannot be fixed at all, "" when
// they may be: a file with input errors, whose objects lint did not all
// read, and rendered objects: a Helm-rendered stream, whose "# Source:"
// templates are what would need the fix, and the objects of a chart or a
// Kustomize directory that lint rendered itself (name is then the chart or
// the directory), whose findings point into templates, bases and patches
// that a text splice of the rendered object cannot soundly change.
func unfixable(name string, objs []*engine.Object, broken bool) string {
	if broken {
		return "the file has input errors; fix them first"
	}
	if !slices.ContainsFunc(objs, func(o *engine.Object) bool { return o.Source.Origin != "" }) {
		return ""
	}
	if st, err := os.Stat(name); err == nil && st.IsDir() || strings.HasSuffix(name, ".tgz") {
		return "the objects are rendered from the Helm chart or Kustomize directory " + name + "; fix its templates, bases or patches instead"
	}
	return "the file is rendered by Helm (its # Source: comments name the templates); fix the chart's templates instead"
}

// fixableFindings returns the unsuppressed findings about objs of the
// rules that have a fix.
func fixableFindings(findings []engine.Finding, objs []*engine.Object) []engine.Finding {
	var out []engine.Finding
	for _, fd := range findings {
		if fd.Suppressed || !fix.Fixable(fd.RuleID) {
			continue
		}
		if slices.ContainsFunc(objs, func(o *engine.Object) bool {
			return o.Source.File == fd.Location.File && o.Ref() == fd.Object
		}) {
			out = append(out, fd)
		}
	}
	return out
}

// writeAtomic replaces a file's content by writing a temporary file beside
// it and renaming it over the file, so that a reader (or a crash) never
// sees half a manifest. The file keeps its mode, and a symbolic link stays
// a link: the file it points to is the one replaced.
func writeAtomic(path string, data []byte) (err error) {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("write fixed manifest: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".kubegate-*")
	if err != nil {
		return fmt.Errorf("write fixed manifest: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write fixed manifest: %w", err)
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write fixed manifest: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write fixed manifest: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write fixed manifest: %w", err)
	}
	return nil
}

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
