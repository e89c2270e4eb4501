package fix

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"

	yaml "go.yaml.in/yaml/v3"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/schema"
)

// Options tune the fixes.
type Options struct {
	// TargetVersion is the Kubernetes release the deprecated-api rule
	// checked against. An API version is moved only to a successor that
	// release serves. The zero value means the newest release kubegate
	// knows.
	TargetVersion schema.Version
}

// Change is a finding a fix resolved.
type Change struct {
	Finding engine.Finding
	// Description says what the fix wrote, for the user.
	Description string
}

// Skip is a finding of a fixable rule that was left as it was.
type Skip struct {
	Finding engine.Finding
	// Reason says why, and what to do instead.
	Reason string
}

// Result is what fixing one file produced.
type Result struct {
	// Data is the fixed content: the input itself when nothing changed.
	Data    []byte
	Changes []Change
	Skips   []Skip
}

// Changed reports whether the fixes changed the file.
func (r Result) Changed() bool { return len(r.Changes) > 0 }

// fixer resolves one finding in o, staging its edits in c, and says what
// it did; a *skipError says why it did nothing.
type fixer func(o *object, f engine.Finding, c *changeset, opts Options) (string, error)

// fixerFor returns the fix of a rule, nil for rules without one.
func fixerFor(ruleID string) fixer {
	switch ruleID {
	case "deprecated-api":
		return fixDeprecatedAPI
	case "image-pull-policy":
		return fixImagePullPolicy
	case "privilege-escalation":
		return fixPrivilegeEscalation
	case "capabilities":
		return fixCapabilities
	case "seccomp-profile":
		return fixSeccompProfile
	}
	return nil
}

// Rules returns the IDs of the rules whose findings File can fix, in the
// order File applies them: the apiVersion first, then the container
// settings in the order a securityContext usually lists them.
func Rules() []string {
	return []string{"deprecated-api", "image-pull-policy", "privilege-escalation", "capabilities", "seccomp-profile"}
}

// Fixable reports whether File acts on findings of the rule.
func Fixable(ruleID string) bool { return fixerFor(ruleID) != nil }

// File fixes, in the content of one file, the findings about objs (the
// objects parsed from it, as engine/manifest returns them) that a fix
// exists for. name is the file name findings report. Suppressed findings,
// findings about other files and findings of rules without a fix are
// ignored; every other finding ends up in Changes or Skips.
func File(name string, data []byte, objs []*engine.Object, findings []engine.Finding, opts Options) Result {
	res := Result{Data: data}
	var todo []engine.Finding
	seen := map[string]bool{}
	for _, f := range findings {
		// A file named twice on the command line is linted twice; its
		// findings are fixed, and told, once.
		key := fmt.Sprintf("%s %d:%d %s %s", f.RuleID, f.Location.Line, f.Location.Column, f.Path, f.Message)
		if f.Location.File == name && !f.Suppressed && Fixable(f.RuleID) && !seen[key] {
			seen[key] = true
			todo = append(todo, f)
		}
	}
	if len(todo) == 0 {
		return res
	}
	// New keys land in the order their fixes run.
	slices.SortStableFunc(todo, func(a, b engine.Finding) int {
		return cmp.Compare(slices.Index(Rules(), a.RuleID), slices.Index(Rules(), b.RuleID))
	})
	skipAll := func(format string, args ...any) Result {
		reason := fmt.Sprintf(format, args...)
		for _, f := range todo {
			res.Skips = append(res.Skips, Skip{Finding: f, Reason: reason})
		}
		return res
	}
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		return skipAll("kubegate rewrites YAML files only; fix this JSON file by hand")
	}
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return skipAll("the file is not UTF-8; kubegate rewrites UTF-8 files only")
	}
	// goyaml also breaks lines at these, and so counts its lines and
	// columns differently from text, which splits at "\n" alone: a splice
	// would land elsewhere than the node it is for.
	if manifest.HasOddLineBreaks(data) {
		return skipAll("the file breaks lines with a lone carriage return, NEL, LS or PS; kubegate rewrites files whose lines end in \\n or \\r\\n only")
	}
	// engine/manifest drops a UTF-8 byte-order mark before it counts lines
	// and columns; so does this, and the mark is put back after.
	bom := []byte{0xEF, 0xBB, 0xBF}
	body := bytes.TrimPrefix(data, bom)
	docs, err := parseDocuments(body)
	if err != nil {
		return skipAll("read the file's YAML: %v", err)
	}
	t := newText(body)
	roots := map[[2]int]*yaml.Node{}
	for _, d := range docs {
		indexMappings(d, roots)
	}

	objects := map[*engine.Object]*object{}
	all := &changeset{}
	for _, f := range todo {
		desc, err := fixOne(t, roots, objects, objs, f, all, opts)
		if err != nil {
			res.Skips = append(res.Skips, Skip{Finding: f, Reason: err.Error()})
			continue
		}
		res.Changes = append(res.Changes, Change{Finding: f, Description: desc})
	}
	byLocation := func(a, b engine.Finding) int {
		return cmp.Or(cmp.Compare(a.Location.Line, b.Location.Line), cmp.Compare(a.Location.Column, b.Location.Column))
	}
	slices.SortStableFunc(res.Changes, func(a, b Change) int { return byLocation(a.Finding, b.Finding) })
	slices.SortStableFunc(res.Skips, func(a, b Skip) int { return byLocation(a.Finding, b.Finding) })
	if len(res.Changes) == 0 {
		return res
	}

	out, err := all.apply(t)
	if err == nil {
		err = sameShape(name, body, out)
	}
	if err != nil {
		// A bug of a fix, never the input's: leave the file alone.
		res.Changes, res.Skips = nil, nil
		return skipAll("kubegate could not fix this file safely (%v); it is left as it was", err)
	}
	if len(body) != len(data) {
		out = append(slices.Clone(bom), out...)
	}
	res.Data = out
	return res
}

// fixOne fixes one finding: it finds the finding's object among objs and
// its node tree among roots (caching it in objects), runs the rule's fix
// and merges its changes into all. An error says why nothing was changed.
func fixOne(t *text, roots map[[2]int]*yaml.Node, objects map[*engine.Object]*object, objs []*engine.Object, f engine.Finding, all *changeset, opts Options) (string, error) {
	obj := objectOf(objs, f)
	if obj == nil {
		return "", skipf("the object the finding is about is not in this file")
	}
	o, known := objects[obj]
	if !known {
		if root := roots[[2]int{obj.Source.Line, obj.Source.Column}]; root != nil {
			o = newObject(t, root)
		}
		objects[obj] = o
	}
	switch {
	case o == nil:
		return "", skipf("the object could not be found in the file's YAML")
	case o.unsafe != "":
		return "", skipf("%s", o.unsafe)
	}
	staged := &changeset{}
	desc, err := fixerFor(f.RuleID)(o, f, staged, opts)
	if err != nil {
		return "", err
	}
	if err := all.merge(staged); err != nil {
		return "", err
	}
	return desc, nil
}

// parseDocuments reads every YAML document of a stream.
func parseDocuments(b []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, &n)
	}
}

// indexMappings records every mapping under n by where it starts, which
// for a block mapping is its first key: where engine/manifest says an
// object (or a List's item) starts.
func indexMappings(n *yaml.Node, into map[[2]int]*yaml.Node) {
	if n.Kind == yaml.MappingNode {
		if _, dup := into[[2]int{n.Line, n.Column}]; !dup {
			into[[2]int{n.Line, n.Column}] = n
		}
	}
	for _, c := range n.Content {
		indexMappings(c, into)
	}
}

// objectOf finds the object a finding is about: the one of its file and
// reference that starts last at or before the finding's location (objects
// do not nest, and a finding is located inside its object).
func objectOf(objs []*engine.Object, f engine.Finding) *engine.Object {
	var best *engine.Object
	for _, o := range objs {
		if o.Source.File != f.Location.File || o.Source.Origin != "" || o.Ref() != f.Object {
			continue
		}
		if cmp.Or(cmp.Compare(o.Source.Line, f.Location.Line), cmp.Compare(o.Source.Column, f.Location.Column)) > 0 {
			continue
		}
		if best == nil || cmp.Or(cmp.Compare(o.Source.Line, best.Source.Line), cmp.Compare(o.Source.Column, best.Source.Column)) > 0 {
			best = o
		}
	}
	return best
}

// sameShape checks the fixed text the way lint will read it: it must
// parse without error into as many objects, of the same kinds and names,
// as the original.
func sameShape(name string, before, after []byte) error {
	p := manifest.NewParser(manifest.DefaultLimits())
	objsBefore, _ := p.Parse(name, before)
	objsAfter, errs := p.Parse(name, after)
	if len(errs) > 0 {
		return fmt.Errorf("the fixed text does not parse: %w", errs[0])
	}
	if len(objsAfter) != len(objsBefore) {
		return fmt.Errorf("the fixed text holds %d objects, not %d", len(objsAfter), len(objsBefore))
	}
	for i := range objsAfter {
		a, b := objsAfter[i], objsBefore[i]
		if a.Kind != b.Kind || a.Name != b.Name || a.Namespace != b.Namespace {
			return fmt.Errorf("object %d changed from %s %s to %s %s", i, b.Kind, b.Name, a.Kind, a.Name)
		}
	}
	return nil
}
