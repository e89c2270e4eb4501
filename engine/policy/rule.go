package policy

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"

	"github.com/kubegate/kubegate/engine"
)

// regoRule is one policy package seen as an engine.Rule.
type regoRule struct {
	meta engine.Meta
	pkg  string
	set  *Set
}

func (r *regoRule) Meta() engine.Meta { return r.meta }

// PrepareRun publishes the run's inventory as data.inventory, once per run
// for the whole set, and only when some policy reads it.
func (r *regoRule) PrepareRun(ctx context.Context, inv engine.Inventory) error {
	return r.set.prepareRun(ctx, inv)
}

// Check reads this package's share of the set's evaluation of obj. The set
// evaluates all its policies in one query per object, cached on the object,
// so n Rego rules cost one evaluation, not n.
func (r *regoRule) Check(ctx context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	res := r.set.evaluate(ctx, obj)
	if err := res.errs[r.pkg]; err != nil {
		return nil, err
	}
	var out []engine.Finding
	for _, b := range r.set.bindings[r.pkg] {
		items, _ := res.bindings[b.variable].([]any)
		for _, it := range items {
			f, err := toFinding(it)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", r.pkg, b.entry, err)
			}
			f.RuleID, f.Severity = r.meta.ID, b.severity
			out = append(out, f)
		}
	}
	return out, nil
}

// evalKey is the Object.Cached key of a set's evaluation of that object.
type evalKey struct{ set *Set }

// evalResult is the set's evaluation of one object: the bindings of every
// entry point, and the error of each package that failed.
type evalResult struct {
	bindings rego.Vars
	errs     map[string]error
}

func (s *Set) evaluate(ctx context.Context, obj *engine.Object) evalResult {
	return obj.Cached(evalKey{s}, func() any {
		res := evalResult{bindings: rego.Vars{}, errs: map[string]error{}}
		// A lazy object converts a field to OPA's values only when a policy
		// reads it: the built-in policies read the pod spec and never the
		// rest. obj.Raw holds only JSON types, which always convert.
		var input ast.Value = ast.LazyObject(obj.Raw)
		q, ok, err := s.queryFor(ctx, obj.GVK)
		if err != nil {
			for _, p := range s.packages {
				if p.meta.MatchesKind(obj.GVK) {
					res.errs[p.path] = fmt.Errorf("prepare policies: %w", err)
				}
			}
			return res
		}
		if !ok {
			return res
		}
		// The compile that prepared q may have brought in a policy that
		// reads data.inventory.
		if err := s.publishInventory(ctx); err != nil {
			for _, p := range s.packages {
				if p.meta.MatchesKind(obj.GVK) {
					res.errs[p.path] = err
				}
			}
			return res
		}
		rs, err := q.Eval(ctx, rego.EvalParsedInput(input))
		if err == nil {
			if len(rs) > 0 {
				res.bindings = rs[0].Bindings
			}
			return res
		}
		// One policy failed (a conflict in a complete rule, a builtin
		// error): evaluate each package alone so only the failing one
		// reports an error and the others still report findings.
		for _, p := range s.packages {
			if !p.meta.MatchesKind(obj.GVK) || len(p.queries) == 0 {
				continue
			}
			pkg := p.path
			q, err := s.aloneQuery(ctx, p)
			if err != nil {
				res.errs[pkg] = fmt.Errorf("prepare policy: %w", err)
				continue
			}
			rs, err := q.Eval(ctx, rego.EvalParsedInput(input))
			switch {
			case err != nil:
				res.errs[pkg] = fmt.Errorf("evaluate policy: %w", err)
			case len(rs) > 0:
				for k, v := range rs[0].Bindings {
					res.bindings[k] = v
				}
			}
		}
		return res
	}).(evalResult)
}

func (s *Set) prepareRun(ctx context.Context, inv engine.Inventory) error {
	// Every Rego rule of the set prepares the run; the first does the work.
	s.mu.Lock()
	same := sameInventory(s.runInv, inv)
	s.runInv = inv
	s.mu.Unlock()
	if !same {
		// Compile, when it has not been done, the packages of every kind
		// the run holds, at once.
		kinds := map[engine.GVK]bool{}
		for _, o := range inv.All() {
			kinds[o.GVK] = true
		}
		s.compileInBackground(func(p *pkgQuery) bool {
			for gvk := range kinds {
				if p.meta.MatchesKind(gvk) {
					return true
				}
			}
			return false
		})
	}
	return s.publishInventory(ctx)
}

// publishInventory writes the run's inventory to the store as
// data.inventory, when a compiled policy reads it and it is not there yet.
func (s *Set) publishInventory(ctx context.Context) error {
	if !s.usesInventory.Load() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	inv := s.runInv
	if inv == nil || sameInventory(s.lastInv, inv) {
		return nil
	}
	doc := inventoryDocument(inv)
	err := storage.Txn(ctx, s.store, storage.WriteParams, func(txn storage.Transaction) error {
		return s.store.Write(ctx, txn, storage.AddOp, storage.MustParsePath("/inventory"), doc)
	})
	if err != nil {
		return fmt.Errorf("store inventory: %w", err)
	}
	s.lastInv = inv
	return nil
}

// inventoryDocument lays the inventory out as Gatekeeper does:
// namespace[ns][apiVersion][kind][name] for namespaced objects and
// cluster[apiVersion][kind][name] for cluster-scoped ones.
func inventoryDocument(inv engine.Inventory) map[string]any {
	namespaced := map[string]any{}
	cluster := map[string]any{}
	put := func(root map[string]any, keys []string, v any) {
		m := root
		for _, k := range keys[:len(keys)-1] {
			next, ok := m[k].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[k] = next
			}
			m = next
		}
		if _, dup := m[keys[len(keys)-1]]; !dup {
			m[keys[len(keys)-1]] = v
		}
	}
	for _, o := range inv.All() {
		if ns := o.EffectiveNamespace(); ns != "" {
			put(namespaced, []string{ns, o.APIVersion, o.Kind, o.Name}, o.Raw)
		} else {
			put(cluster, []string{o.APIVersion, o.Kind, o.Name}, o.Raw)
		}
	}
	return map[string]any{"namespace": namespaced, "cluster": cluster}
}

// toFinding reads one result of deny, violation or warn: a string, or an
// object with "msg" and optionally "path" (a string such as
// "spec.containers[0].image" or a list of keys and indices).
func toFinding(v any) (engine.Finding, error) {
	switch t := v.(type) {
	case string:
		return engine.Finding{Message: t}, nil
	case map[string]any:
		msg, ok := t["msg"].(string)
		if !ok {
			return engine.Finding{}, errors.New(`result object has no string "msg"`)
		}
		f := engine.Finding{Message: msg}
		if p, ok := t["path"]; ok {
			path, err := toPath(p)
			if err != nil {
				return engine.Finding{}, err
			}
			f.Path = path
		}
		return f, nil
	default:
		return engine.Finding{}, fmt.Errorf("result is a %T; want a string or {\"msg\": ..., \"path\": ...}", v)
	}
}

func toPath(v any) (engine.Path, error) {
	switch t := v.(type) {
	case string:
		p, err := engine.ParsePath(t)
		if err != nil {
			return nil, fmt.Errorf("result path: %w", err)
		}
		return p, nil
	case []any:
		p := make(engine.Path, 0, len(t))
		for _, e := range t {
			switch k := e.(type) {
			case string:
				p = append(p, engine.PathElem{Key: k})
			case float64:
				p = append(p, engine.PathElem{Index: int(k), IsIndex: true})
			default:
				if n, ok := asInt(k); ok {
					p = append(p, engine.PathElem{Index: n, IsIndex: true})
					continue
				}
				return nil, fmt.Errorf("result path element %v is neither a key nor an index", e)
			}
		}
		return p, nil
	default:
		return nil, fmt.Errorf("result path is a %T; want a string or a list", v)
	}
}

// asInt reads the json.Number OPA returns for numbers.
func asInt(v any) (int, bool) {
	type number interface{ Int64() (int64, error) }
	if n, ok := v.(number); ok {
		i, err := n.Int64()
		return int(i), err == nil && i >= 0
	}
	return 0, false
}

// sameInventory reports whether a and b are the same inventory; every Rego
// rule of a set calls PrepareRun, and the inventory is written once. An
// inventory of a type that cannot be compared is never taken for the same.
func sameInventory(a, b engine.Inventory) bool {
	if a == nil || b == nil {
		return false
	}
	ta := reflect.TypeOf(a)
	if ta != reflect.TypeOf(b) || !ta.Comparable() {
		return false
	}
	return a == b
}
