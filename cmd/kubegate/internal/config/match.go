package config

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/kubegate/kubegate/engine"
)

// Check validates what the file says about rules against all, the rules
// loaded (run or not): every rule ID must be known, and every rule's
// parameters must be ones it accepts, so a typo is an error at its line
// rather than a check silently off. Errors come in file order, joined.
func (f *File) Check(all []engine.Rule) error {
	byID := make(map[string]engine.Rule, len(all))
	ids := make([]string, 0, len(all))
	for _, r := range all {
		byID[r.Meta().ID] = r
		ids = append(ids, r.Meta().ID)
	}
	slices.Sort(ids)
	var errs []error
	unknown := func(id string) string {
		msg := fmt.Sprintf("unknown rule %q", id)
		if s := suggest(id, ids); s != "" {
			return msg + fmt.Sprintf("; did you mean %q?", s)
		}
		return msg + " (see kubegate rules list)"
	}
	list := func(key string, list []string) {
		for i, id := range list {
			if byID[id] == nil {
				errs = append(errs, f.Errorf(fmt.Sprintf("%s[%d]", key, i), "%s", unknown(id)))
			}
		}
	}
	c := &f.Config
	list("rules.only", c.Rules.Only)
	list("rules.enable", c.Rules.Enable)
	list("rules.disable", c.Rules.Disable)
	for i, e := range c.Exemptions {
		list(fmt.Sprintf("exemptions[%d].rules", i), e.Rules)
	}
	for _, id := range slices.Sorted(maps.Keys(c.Rules.Severity)) {
		if byID[id] == nil {
			errs = append(errs, f.errorfKey("rules.severity."+id, "%s", unknown(id)))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(c.Rules.Params)) {
		errs = append(errs, f.checkParams(byID[id], id, c.Rules.Params[id], unknown)...)
	}
	slices.SortStableFunc(errs, compareErrors)
	return errors.Join(errs...)
}

// checkParams checks the parameters given to rule r (nil when unknown):
// each name against the rule's documented ones, at the name's line, then
// the values by the rule's own strict Configure.
func (f *File) checkParams(r engine.Rule, id string, params map[string]any, unknown func(string) string) []error {
	key := "rules.params." + id
	if r == nil {
		return []error{f.errorfKey(key, "%s", unknown(id))}
	}
	c, ok := r.(engine.Configurable)
	if !ok {
		return []error{f.errorfKey(key, "rule %s takes no parameters", id)}
	}
	var errs []error
	if documented := r.Meta().Params; len(documented) > 0 {
		var names []string
		for _, p := range documented {
			names = append(names, p.Name)
		}
		for _, name := range slices.Sorted(maps.Keys(params)) {
			if !slices.Contains(names, name) {
				errs = append(errs, f.errorfKey(key+"."+name, "rule %s has no parameter %q (it takes %s)", id, name, strings.Join(names, ", ")))
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	if _, err := c.Configure(params); err != nil {
		return []error{f.errorfKey(key, "%v", err)}
	}
	return nil
}

// Excluder returns the test manifest.Loader.Exclude takes: whether a path
// (as the loader names it, relative to the working directory or absolute)
// matches an exclude pattern, itself or through one of its directories,
// relative to the file's directory. Paths outside that directory are never
// excluded. It returns nil when the file excludes nothing.
func (f *File) Excluder() func(path string) bool {
	if len(f.Config.Exclude) == 0 {
		return nil
	}
	patterns := make([]string, 0, len(f.Config.Exclude))
	for _, p := range f.Config.Exclude {
		patterns = append(patterns, pathPattern(p))
	}
	return func(p string) bool { return excluded(f.Dir, patterns, p) }
}

// pathPattern is an exclude pattern as the paths it is matched against are
// written: without a leading "./" (the paths are relative already) and
// without a trailing "/" (gitignore's mark of a directory, which here says
// nothing more: a pattern that matches a directory excludes all below it).
func pathPattern(p string) string {
	for strings.HasPrefix(p, "./") {
		p = strings.TrimLeft(p[2:], "/")
	}
	if q := strings.TrimRight(p, "/"); q != "" {
		p = q
	}
	return p
}

func excluded(dir string, patterns []string, p string) bool {
	abs, err := filepath.Abs(p)
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false
	}
	rel = filepath.ToSlash(rel)
	for q := rel; q != "." && q != "/"; q = path.Dir(q) {
		for _, pat := range patterns {
			// Patterns were validated when the file was decoded, so Match
			// cannot fail.
			if ok, _ := doublestar.Match(pat, q); ok {
				return true
			}
		}
	}
	return false
}

// Suppressor returns the engine.Suppressor of the file's exemptions, or nil
// when it has none. The first exemption that covers a finding gives the
// reason.
func (f *File) Suppressor() engine.Suppressor {
	exemptions := f.Config.Exemptions
	if len(exemptions) == 0 {
		return nil
	}
	return func(obj *engine.Object, fd *engine.Finding) *engine.Suppression {
		for _, e := range exemptions {
			if e.covers(obj, fd.RuleID) {
				return &engine.Suppression{Kind: engine.SuppressedByConfig, Reason: e.Reason}
			}
		}
		return nil
	}
}

// covers reports whether the exemption covers the findings of ruleID on
// obj: every list it gives must match.
func (e Exemption) covers(obj *engine.Object, ruleID string) bool {
	if len(e.Rules) > 0 && !slices.Contains(e.Rules, ruleID) {
		return false
	}
	if len(e.Namespaces) > 0 {
		ns := obj.EffectiveNamespace()
		if ns == "" || !matchAny(e.Namespaces, ns) {
			return false
		}
	}
	if len(e.Kinds) > 0 && !matchAny(e.Kinds, obj.Kind) {
		return false
	}
	return len(e.Names) == 0 || matchAny(e.Names, obj.Name)
}

func matchAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if ok, _ := doublestar.Match(p, s); ok {
			return true
		}
	}
	return false
}
