package manifest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/kubegate/kubegate/engine"
)

// StdinName is what findings in a manifest read from stdin report as file.
const StdinName = "<stdin>"

// Result is what loading a set of paths produced.
type Result struct {
	Objects []*engine.Object
	Errors  []*engine.FileError
	// Files are the files read, in order.
	Files []string
}

// Loader reads paths: files, directories and "-" for stdin.
type Loader struct {
	Parser *Parser
	Stdin  io.Reader
	// Workers bounds how many files are read and parsed at once; 0 means
	// GOMAXPROCS.
	Workers int
	// Exclude, when set, says which paths not to read: files named on the
	// command line, and files and directories met in a walk (an excluded
	// directory is not entered). It sees paths as the loader names them.
	Exclude func(path string) bool
	// Renderer, when set, builds the Helm charts and Kustomize directories
	// among the paths instead of their files being read as manifests.
	Renderer Renderer
}

// Renderer builds the objects of inputs that are not manifests but make
// them: Helm charts and Kustomize directories (package engine/render). The
// Loader asks it about every path it is given and every directory its walks
// meet, and hands it each input it claims, once.
type Renderer interface {
	// Target returns the input that path is or belongs to and that the
	// renderer builds, or "" when there is none. named says the user gave
	// path; a renderer may then also claim a path inside an input (a file
	// of a chart, say), which a walk never meets since it stops at the
	// input.
	Target(path string, isDir, named bool) string
	// Render builds target. It returns every object it could build and an
	// error for every problem, placed at the file and line that caused it
	// where it can tell.
	Render(ctx context.Context, target string) ([]*engine.Object, []*engine.FileError)
}

// input is one thing to read: a file, "-", or a renderer's target.
type input struct {
	path   string
	render bool
}

// IsManifestFile reports whether a directory walk picks up name.
func IsManifestFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// Load reads every path. Directories are walked recursively in lexical
// order, skipping hidden directories (.git and the like) below the one
// named, and hidden files; a file named explicitly is read whatever its
// name and extension. With a Renderer, what it claims is built instead,
// once however often it is named. Objects come back in input order, so
// runs are deterministic.
func (l *Loader) Load(ctx context.Context, paths []string) Result {
	var res Result
	var files []input
	rendered := map[string]bool{}
	for _, p := range paths {
		found, errs := expand(p, l.Exclude, l.Renderer)
		res.Errors = append(res.Errors, errs...)
		for _, in := range found {
			if in.render {
				key := filepath.Clean(in.path)
				if rendered[key] {
					continue
				}
				rendered[key] = true
			}
			files = append(files, in)
			res.Files = append(res.Files, in.path)
		}
	}

	type parsed struct {
		objs []*engine.Object
		errs []*engine.FileError
	}
	out := make([]parsed, len(files))
	workers := l.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, in := range files {
		if ctx.Err() != nil {
			break
		}
		f := in.path
		if in.render {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				objs, errs := l.Renderer.Render(ctx, f)
				out[i] = parsed{objs, errs}
			})
			continue
		}
		if f == "-" {
			// Stdin is read once, here, in order, so it never races.
			objs, errs := l.parseStdin()
			out[i] = parsed{objs, errs}
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			objs, errs := l.parseFile(f)
			out[i] = parsed{objs, errs}
		})
	}
	wg.Wait()
	for i := range files {
		res.Objects = append(res.Objects, out[i].objs...)
		res.Errors = append(res.Errors, out[i].errs...)
	}
	if err := ctx.Err(); err != nil {
		res.Errors = append(res.Errors, &engine.FileError{Err: fmt.Errorf("load manifests: %w", err)})
	}
	return res
}

func (l *Loader) parseFile(path string) ([]*engine.Object, []*engine.FileError) {
	data, err := readLimited(path, l.Parser.limits.MaxFileSize)
	if err != nil {
		return nil, []*engine.FileError{{Location: engine.Location{File: path}, Err: err}}
	}
	return l.Parser.Parse(path, data)
}

func (l *Loader) parseStdin() ([]*engine.Object, []*engine.FileError) {
	if l.Stdin == nil {
		return nil, []*engine.FileError{{Location: engine.Location{File: StdinName}, Err: errors.New("read stdin: no standard input")}}
	}
	limit := l.Parser.limits.MaxFileSize
	data, err := io.ReadAll(io.LimitReader(l.Stdin, limit+1))
	if err != nil {
		return nil, []*engine.FileError{{Location: engine.Location{File: StdinName}, Err: fmt.Errorf("read stdin: %w", err)}}
	}
	if int64(len(data)) > limit {
		return nil, []*engine.FileError{fileErr(StdinName, 0, 0, "input is larger than the %d-byte limit", limit)}
	}
	return l.Parser.Parse(StdinName, data)
}

// readLimited reads a file, refusing one over limit bytes before reading it
// (and again after, should it grow meanwhile).
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", unwrapPathError(err))
	}
	defer func() { _ = f.Close() }()
	if st, err := f.Stat(); err == nil && st.Size() > limit {
		return nil, fmt.Errorf("file is %d bytes, larger than the %d-byte limit", st.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", unwrapPathError(err))
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("file is larger than the %d-byte limit", limit)
	}
	return data, nil
}

// unwrapPathError drops the path from *fs.PathError, since the location
// already names the file.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// expand turns one argument into the inputs to read: files, and the
// targets r claims, below which the walk does not go. An unreadable
// subdirectory is an error of its own; the rest of the walk goes on.
// Excluded paths are skipped; a directory whose manifests are all excluded
// is not an error.
func expand(arg string, exclude func(string) bool, r Renderer) ([]input, []*engine.FileError) {
	if arg == "-" {
		return []input{{path: "-"}}, nil
	}
	if exclude == nil {
		exclude = func(string) bool { return false }
	}
	if exclude(arg) {
		return nil, nil
	}
	st, err := os.Stat(arg)
	if err != nil {
		return nil, []*engine.FileError{{Location: engine.Location{File: arg}, Err: fmt.Errorf("read manifest: %w", unwrapPathError(err))}}
	}
	if r != nil {
		if t := r.Target(arg, st.IsDir(), true); t != "" {
			return []input{{path: t, render: true}}, nil
		}
	}
	if !st.IsDir() {
		return []input{{path: arg}}, nil
	}
	var files []input
	var errs []*engine.FileError
	skipped := false
	_ = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, &engine.FileError{Location: engine.Location{File: p}, Err: fmt.Errorf("walk directory: %w", unwrapPathError(err))})
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p == arg {
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if exclude(p) {
				skipped = true
				return filepath.SkipDir
			}
			if r != nil {
				if t := r.Target(p, true, false); t != "" {
					files = append(files, input{path: t, render: true})
					return filepath.SkipDir
				}
			}
			return nil
		}
		// Hidden files are tools' settings (.gitlab-ci.yml, .kubegate.yaml,
		// .pre-commit-config.yaml), never manifests.
		if IsManifestFile(p) && d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") {
			if exclude(p) {
				skipped = true
				return nil
			}
			files = append(files, input{path: p})
		}
		return nil
	})
	if len(files) == 0 && len(errs) == 0 && !skipped {
		errs = append(errs, &engine.FileError{Location: engine.Location{File: arg}, Err: errors.New("directory holds no .yaml, .yml or .json file")})
	}
	return files, errs
}
