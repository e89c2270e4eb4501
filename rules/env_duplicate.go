package rules

import (
	"context"
	"maps"
	"slices"

	"github.com/kubegate/kubegate/engine"
)

// envDuplicate reports env variables a container sets more than once. It
// was the Rego policy kubegate.rules.env_duplicate, ported to Go for speed;
// it reports the same findings.
type envDuplicate struct{}

var envDuplicateMeta = engine.Meta{
	ID:    "env-duplicate",
	Title: "Env vars are set once per container",
	Description: "When a container lists the same variable twice, the API server accepts it and the last " +
		"one wins, so the first value is dead text that readers believe. Usually one of the two was added " +
		"by a patch or a Helm value without noticing the other. Matches kube-linter's dupe-env-var and " +
		"kube-score's environment-variable-key-duplication.",
	Remediation: "Keep one entry per name and delete the other.",
	Severity:    engine.Warning,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("env-duplicate"),
}

// envDuplicateScan is the length up to which an env list is searched for
// earlier entries one by one; longer lists index their string names.
const envDuplicateScan = 16

// Meta describes the rule.
func (envDuplicate) Meta() engine.Meta { return envDuplicateMeta }

// Check reports each env entry of a container or init container whose
// name an earlier entry has, at its name, naming the first entry of that
// name.
func (envDuplicate) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range pod.Containers() {
		out = envDuplicates(out, c)
	}
	return out, nil
}

// envDuplicates appends the findings of one container. As in the policy,
// an entry counts when it is a mapping with a name key, whatever the
// name's type (names are compared as Rego compares values), and an env
// that is a mapping is read in the order of its keys.
func envDuplicates(out []engine.Finding, c podContainer) []engine.Finding {
	var vals []any
	var keys []string // the keys of an env mapping; nil for a list
	switch t := c.M["env"].(type) {
	case []any:
		vals = t
	case map[string]any:
		keys = slices.Sorted(maps.Keys(t))
		vals = make([]any, len(keys))
		for i, k := range keys {
			vals[i] = t[k]
		}
	}
	if len(vals) < 2 {
		return out
	}
	// first maps each string name to its first entry, for long lists.
	var first map[string]int
	if len(vals) > envDuplicateScan {
		first = make(map[string]int, len(vals))
	}
	for j, e := range vals {
		name, ok := envEntryName(e)
		if !ok {
			continue
		}
		i := -1
		if s, isString := name.(string); isString && first != nil {
			k, seen := first[s]
			if !seen {
				first[s] = j
				continue
			}
			i = k
		} else {
			for k := range j {
				if prev, ok := envEntryName(vals[k]); ok && regoEqual(prev, name) {
					i = k
					break
				}
			}
		}
		if i < 0 {
			continue
		}
		at, atI, atJ := engine.PathElem{Index: j, IsIndex: true}, any(int64(i)), any(int64(j))
		if keys != nil {
			at, atI, atJ = engine.PathElem{Key: keys[j]}, keys[i], keys[j]
		}
		out = append(out, engine.NewFinding(envDuplicateMeta, append(c.Path.Child("env"), at, engine.PathElem{Key: "name"}),
			"container %q sets %s twice (env[%d] and env[%d]); the last one wins",
			containerNameArg(c), regoArg(name), atI, atJ))
	}
	return out
}

// envEntryName is an env entry's name: e.name in Rego, defined when e is a
// mapping with the key.
func envEntryName(e any) (any, bool) {
	m, ok := e.(map[string]any)
	if !ok {
		return nil, false
	}
	name, ok := m["name"]
	return name, ok
}
