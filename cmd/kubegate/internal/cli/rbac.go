package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/spf13/cobra"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/engine/rbac"
)

func newRbacCmd(streams IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rbac",
		Short: "Answer RBAC questions from manifests",
		Long: "Resolve the Roles, ClusterRoles (with aggregation) and bindings of the manifests,\n" +
			"over the ClusterRoles every kube-apiserver creates, and answer who may do what.",
	}
	cmd.AddCommand(newRbacWhoCanCmd(streams), newRbacCanCmd(streams))
	return cmd
}

// rbacOptions are the flags both questions share.
type rbacOptions struct {
	namespace       string
	allNamespaces   bool
	builtinBindings bool
	output          string
}

func (o *rbacOptions) flags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVarP(&o.namespace, "namespace", "n", "", "only grants that hold in this namespace (default: any namespace)")
	f.BoolVarP(&o.allNamespaces, "all-namespaces", "A", false, "only grants that hold in every namespace (ClusterRoleBindings)")
	f.BoolVar(&o.builtinBindings, "builtin-bindings", false, "also count the bindings every kube-apiserver creates (system:masters, controllers, discovery)")
	f.StringVarP(&o.output, "output", "o", "text", "output format: text or json")
}

// load reads the manifests and resolves the request; input errors are
// returned beside the policy so the answer is still given.
func (o *rbacOptions) load(ctx context.Context, streams IO, verb, resource string, paths []string) (*rbac.Policy, rbac.Request, []*engine.FileError, error) {
	if o.output != "text" && o.output != "json" {
		return nil, rbac.Request{}, nil, usageError("--output %q: want text or json", o.output)
	}
	if o.allNamespaces && o.namespace != "" {
		return nil, rbac.Request{}, nil, usageError("--namespace and --all-namespaces exclude each other")
	}
	if len(paths) == 0 {
		return nil, rbac.Request{}, nil, usageError("no manifests given; pass files, directories or - for stdin")
	}
	loader := &manifest.Loader{Parser: manifest.NewParser(manifest.DefaultLimits()), Stdin: streams.In}
	loaded := loader.Load(ctx, paths)
	inv := engine.NewInventory(loaded.Objects)
	res, err := rbac.ResolveResource(resource, inv)
	if err != nil {
		return nil, rbac.Request{}, nil, usageError("%v", err)
	}
	req := rbac.Request{Verb: strings.ToLower(verb), Resource: res, Namespace: o.namespace}
	if !res.Namespaced {
		req.Namespace = "" // a cluster-scoped resource has no namespace
	}
	return rbac.Build(inv, rbac.Options{BuiltinBindings: o.builtinBindings}), req, loaded.Errors, nil
}

func newRbacWhoCanCmd(streams IO) *cobra.Command {
	o := &rbacOptions{}
	cmd := &cobra.Command{
		Use:   "who-can VERB RESOURCE PATH...",
		Short: "List the subjects allowed to do VERB on RESOURCE",
		Long: "List every subject the manifests' bindings allow to do VERB on RESOURCE (pods,\n" +
			"pods/exec, deployments.apps, a CRD's plural), with the binding and role that allow\n" +
			"it. Grants limited to named objects (resourceNames) are listed with those names.\n" +
			"Exit 0 after answering, 2 on usage or input errors.",
		Example: "  kubegate rbac who-can get secrets -n shop deploy/\n" +
			"  kubegate rbac who-can create pods/exec deploy/ --builtin-bindings",
		Args: cobra.MinimumNArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, req, errs, err := o.load(cmd.Context(), streams, args[0], args[1], args[2:])
			if err != nil {
				return err
			}
			grants := p.WhoCan(req, o.allNamespaces)
			if o.output == "json" {
				err = writeGrantsJSON(streams.Out, req, nil, grants)
			} else {
				err = writeGrantsText(streams.Out, req, grants)
			}
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			return inputErrors(streams, errs)
		},
	}
	o.flags(cmd)
	return cmd
}

type rbacCanOptions struct {
	rbacOptions
	groups []string
}

func newRbacCanCmd(streams IO) *cobra.Command {
	o := &rbacCanOptions{}
	cmd := &cobra.Command{
		Use:   "can SUBJECT VERB RESOURCE PATH...",
		Short: "Say whether SUBJECT may do VERB on RESOURCE",
		Long: "Say whether SUBJECT may do VERB on RESOURCE under the manifests' RBAC, and which\n" +
			"bindings allow it. SUBJECT is system:serviceaccount:NAMESPACE:NAME (or\n" +
			"serviceaccount:NAMESPACE:NAME), group:NAME, or a user name (user:NAME); users\n" +
			"belong to system:authenticated and service accounts to their groups as well, as\n" +
			"the API server's authenticators say. Without --namespace the question is whether\n" +
			"any namespace allows it.\n" +
			"Exit 0 when allowed, 1 when not, 2 on usage or input errors.",
		Example: "  kubegate rbac can system:serviceaccount:shop:frontend get secrets -n shop deploy/\n" +
			"  kubegate rbac can alice delete nodes deploy/ --group ops",
		Args: cobra.MinimumNArgs(4),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := rbac.ParseSubject(args[0], o.groups)
			if err != nil {
				return usageError("%v", err)
			}
			p, req, errs, err := o.load(cmd.Context(), streams, args[1], args[2], args[3:])
			if err != nil {
				return err
			}
			allowed, grants := p.Can(u, req, o.allNamespaces)
			if o.output == "json" {
				err = writeGrantsJSON(streams.Out, req, &allowed, grants)
			} else {
				err = writeCanText(streams.Out, allowed, grants)
			}
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			if err := inputErrors(streams, errs); err != nil {
				return err
			}
			if !allowed {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	o.flags(cmd)
	cmd.Flags().StringSliceVar(&o.groups, "group", nil, "a group the subject belongs to besides the implicit ones (repeatable)")
	return cmd
}

// inputErrors reports files that could not be read or parsed: the answer
// is given without them, and the exit code says it is incomplete.
func inputErrors(streams IO, errs []*engine.FileError) error {
	if len(errs) == 0 {
		return nil
	}
	for _, e := range errs {
		_, _ = fmt.Fprintf(streams.Err, "kubegate: %v\n", e)
	}
	return &exitError{code: ExitError, err: fmt.Errorf("answer without %d unreadable input(s)", len(errs))}
}

func subjectString(s rbacv1.Subject) string {
	if s.Kind == rbacv1.ServiceAccountKind {
		return fmt.Sprintf("ServiceAccount %s/%s", s.Namespace, s.Name)
	}
	return s.Kind + " " + s.Name
}

func scopeString(g rbac.Grant) string {
	if g.Namespace == "" {
		return "all namespaces"
	}
	return g.Namespace
}

func bindingString(b *rbac.Binding) string {
	s := b.Kind + " "
	if b.Namespace != "" {
		s += b.Namespace + "/"
	}
	s += b.Name
	if b.Object != nil {
		s += fmt.Sprintf(" (%s:%d)", b.Object.Source.File, b.Object.Source.Line)
	} else {
		s += " (built-in)"
	}
	return s
}

func roleString(r *rbac.Role) string {
	s := r.Kind + " " + r.Name
	switch {
	case r.Object != nil:
		s += fmt.Sprintf(" (%s:%d)", r.Object.Source.File, r.Object.Source.Line)
	default:
		s += " (built-in)"
	}
	if r.Aggregation != nil {
		s += " aggregated"
	}
	return s
}

func writeGrantsText(w io.Writer, req rbac.Request, grants []rbac.Grant) error {
	if len(grants) == 0 {
		_, err := fmt.Fprintf(w, "no subject may %s %s%s\n", req.Verb, req.Resource, inNamespace(req))
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	_, _ = fmt.Fprintln(tw, "SUBJECT\tWHERE\tBINDING\tROLE\tONLY NAMES")
	for _, g := range grants {
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", subjectString(g.Subject), scopeString(g), bindingString(g.Binding), roleString(g.Role), strings.Join(g.ResourceNames, ","))
	}
	return tw.Flush()
}

func inNamespace(req rbac.Request) string {
	if req.Namespace == "" {
		return ""
	}
	return " in namespace " + req.Namespace
}

func writeCanText(w io.Writer, allowed bool, grants []rbac.Grant) error {
	answer := "no"
	if allowed {
		answer = "yes"
	}
	if _, err := fmt.Fprintln(w, answer); err != nil {
		return err
	}
	for _, g := range grants {
		only := ""
		if len(g.ResourceNames) > 0 {
			only = ", only " + strings.Join(g.ResourceNames, ",")
		}
		if _, err := fmt.Fprintf(w, "  %s: %s -> %s as %s%s\n", scopeString(g), bindingString(g.Binding), roleString(g.Role), subjectString(g.Subject), only); err != nil {
			return err
		}
	}
	return nil
}

// grantJSON is one grant in -o json.
type grantJSON struct {
	Subject       rbacv1.Subject `json:"subject"`
	Namespace     string         `json:"namespace,omitempty"`
	Binding       refJSON        `json:"binding"`
	Role          refJSON        `json:"role"`
	ResourceNames []string       `json:"resourceNames,omitempty"`
}

type refJSON struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name"`
	Builtin   bool   `json:"builtin,omitempty"`
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
}

func ref(kind, ns, name string, o *engine.Object) refJSON {
	r := refJSON{Kind: kind, Namespace: ns, Name: name, Builtin: o == nil}
	if o != nil {
		r.File, r.Line = o.Source.File, o.Source.Line
	}
	return r
}

func writeGrantsJSON(w io.Writer, req rbac.Request, allowed *bool, grants []rbac.Grant) error {
	out := struct {
		Verb      string      `json:"verb"`
		Resource  string      `json:"resource"`
		Namespace string      `json:"namespace,omitempty"`
		Allowed   *bool       `json:"allowed,omitempty"`
		Grants    []grantJSON `json:"grants"`
	}{Verb: req.Verb, Resource: req.Resource.String(), Namespace: req.Namespace, Allowed: allowed, Grants: []grantJSON{}}
	for _, g := range grants {
		out.Grants = append(out.Grants, grantJSON{
			Subject: g.Subject, Namespace: g.Namespace, ResourceNames: g.ResourceNames,
			Binding: ref(g.Binding.Kind, g.Binding.Namespace, g.Binding.Name, g.Binding.Object),
			Role:    ref(g.Role.Kind, g.Role.Namespace, g.Role.Name, g.Role.Object),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
