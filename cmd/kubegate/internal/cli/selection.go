package cli

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// ruleSelection is how the command line picks and tunes rules.
type ruleSelection struct {
	only     []string // run these rules and no others
	enable   []string
	disable  []string
	params   []string // RULE.NAME=VALUE
	severity []string // RULE=LEVEL
	// fileParams are the configuration file's rule parameters, which
	// --param values override one by one.
	fileParams map[string]map[string]any
}

// apply returns the rules to run and the severity overrides. Rules marked
// Disabled run only when enabled by name; --disable wins over --enable. An
// unknown rule ID anywhere is a usage error, so a typo never silently turns
// a check off.
func (s ruleSelection) apply(all []engine.Rule) ([]engine.Rule, map[string]engine.Severity, error) {
	byID := make(map[string]engine.Rule, len(all))
	for _, r := range all {
		byID[r.Meta().ID] = r
	}
	known := func(flag, id string) error {
		if _, ok := byID[id]; !ok {
			return usageError("%s: unknown rule %q (see kubegate rules list)", flag, id)
		}
		return nil
	}
	enabled := map[string]bool{}
	for _, id := range s.enable {
		if err := known("--enable", id); err != nil {
			return nil, nil, err
		}
		enabled[id] = true
	}
	only := map[string]bool{}
	for _, id := range s.only {
		if err := known("--only", id); err != nil {
			return nil, nil, err
		}
		only[id] = true
	}
	disabled := map[string]bool{}
	for _, id := range s.disable {
		if err := known("--disable", id); err != nil {
			return nil, nil, err
		}
		disabled[id] = true
	}

	params := map[string]map[string]any{}
	for id, p := range s.fileParams {
		params[id] = maps.Clone(p)
	}
	for _, p := range s.params {
		key, value, ok := strings.Cut(p, "=")
		dot := strings.LastIndexByte(key, '.')
		if !ok || dot <= 0 || dot == len(key)-1 {
			return nil, nil, usageError("--param %q: want RULE.NAME=VALUE", p)
		}
		id, name := key[:dot], key[dot+1:]
		if err := known("--param", id); err != nil {
			return nil, nil, err
		}
		if params[id] == nil {
			params[id] = map[string]any{}
		}
		params[id][name] = paramValue(byID[id].Meta(), name, value)
	}

	sev := map[string]engine.Severity{}
	for _, o := range s.severity {
		id, level, ok := strings.Cut(o, "=")
		if !ok {
			return nil, nil, usageError("--severity %q: want RULE=LEVEL", o)
		}
		if err := known("--severity", id); err != nil {
			return nil, nil, err
		}
		l, err := engine.ParseSeverity(level)
		if err != nil {
			return nil, nil, usageError("--severity %q: %v", o, err)
		}
		sev[id] = l
	}

	var out []engine.Rule
	for _, r := range all {
		m := r.Meta()
		// Parameters are checked even for rules that will not run, so a
		// mistake shows up before the rule is turned on.
		if p, ok := params[m.ID]; ok {
			c, ok := r.(engine.Configurable)
			if !ok {
				return nil, nil, usageError("--param: rule %s takes no parameters", m.ID)
			}
			configured, err := c.Configure(p)
			if err != nil {
				return nil, nil, usageError("--param: %v", err)
			}
			r = configured
		}
		if len(only) > 0 && !only[m.ID] {
			continue
		}
		if disabled[m.ID] || (m.Disabled && !enabled[m.ID] && !only[m.ID]) {
			continue
		}
		out = append(out, r)
	}
	return out, sev, nil
}

// sortedIDs lists rule IDs for messages.
func sortedIDs(rs []engine.Rule) []string {
	ids := make([]string, 0, len(rs))
	for _, r := range rs {
		ids = append(ids, r.Meta().ID)
	}
	slices.Sort(ids)
	return ids
}

// paramValue types a --param value: a parameter documented as a string
// takes the text as it is (so 1.30 stays "1.30"); otherwise a value that
// parses as JSON (3, true, ["a"]) is taken as such, and anything else is a
// string, so Guaranteed needs no quotes.
func paramValue(m engine.Meta, name, value string) any {
	for _, p := range m.Params {
		if p.Name == name && p.Type == "string" {
			return value
		}
	}
	var v any
	if err := json.Unmarshal([]byte(value), &v); err != nil {
		return value
	}
	return v
}
