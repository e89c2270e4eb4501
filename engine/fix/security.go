package fix

import (
	"fmt"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/kubegate/kubegate/engine"
)

// The securityContext fixes write only settings that a working image does
// not depend on, each where the rule's finding points (the container's
// securityContext), and never overturn a value someone wrote:
//
//   - allowPrivilegeEscalation: false only stops setuid binaries and file
//     capabilities from raising privileges; it is not written for a
//     privileged container or one that adds SYS_ADMIN, which the API server
//     rejects.
//   - seccompProfile type RuntimeDefault is the runtime's default profile,
//     which blocks only system calls ordinary workloads do not make.
//   - capabilities drop [ALL] is written only for a container known to run
//     as a non-root user: a process that starts as root and switches user
//     (the official nginx, postgres and redis images do) needs CHOWN,
//     SETUID, SETGID or DAC_OVERRIDE, and dropping them stops it.
//
// runAsNonRoot and readOnlyRootFilesystem are not fixed: the first makes
// the kubelet refuse any image whose user is root or a name rather than a
// number, the second breaks every process that writes a cache, a pid file
// or /tmp without a volume for it. Both need a person who knows the image.

// containerOf splits a finding's path at the container it is about: the
// path of containers[i] or initContainers[i], and of the pod spec.
func containerOf(p engine.Path) (container, podSpec engine.Path, ok bool) {
	for i := len(p) - 1; i >= 1; i-- {
		if p[i].IsIndex && !p[i-1].IsIndex && (p[i-1].Key == "containers" || p[i-1].Key == "initContainers") {
			return p[:i+1], p[:i-1], true
		}
	}
	return nil, nil, false
}

// container returns the node of the container a finding is about.
func (o *object) container(f engine.Finding) (cn, pod *yaml.Node, name string, err error) {
	cp, pp, ok := containerOf(f.Path)
	if !ok {
		return nil, nil, "", skipf("the finding names no container by index")
	}
	cn, pod = o.walk(cp), o.walk(pp)
	if cn == nil || cn.Kind != yaml.MappingNode || pod == nil {
		return nil, nil, "", skipf("the container at %s is not a mapping", cp)
	}
	if n := lookup(cn, "name"); n != nil {
		name = n.Value
	}
	return cn, pod, name, nil
}

// truthy reads a boolean the way kubectl's YAML decoder does (YAML 1.1:
// yes and on are true too).
func truthy(n *yaml.Node) bool {
	if n == nil || n.Kind != yaml.ScalarNode {
		return false
	}
	switch strings.ToLower(n.Value) {
	case "true", "yes", "on", "y":
		return n.Tag != "!!str" || n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0
	}
	return false
}

// addsCapability reports whether the securityContext sc adds capability
// name (with or without the CAP_ prefix, in any case).
func addsCapability(sc *yaml.Node, name string) bool {
	add := lookup(lookup(sc, "capabilities"), "add")
	if add == nil {
		return false
	}
	for _, it := range add.Content {
		if it.Kind == yaml.ScalarNode && strings.TrimPrefix(strings.ToUpper(it.Value), "CAP_") == name {
			return true
		}
	}
	return false
}

// fixPrivilegeEscalation writes allowPrivilegeEscalation: false.
func fixPrivilegeEscalation(o *object, f engine.Finding, c *changeset, _ Options) (string, error) {
	cn, _, name, err := o.container(f)
	if err != nil {
		return "", err
	}
	sc := lookup(cn, "securityContext")
	if v := lookup(sc, "allowPrivilegeEscalation"); v != nil {
		return "", skipf("line %d: container %q sets allowPrivilegeEscalation: %s; kubegate does not overturn a value someone wrote", v.Line, name, v.Value)
	}
	if truthy(lookup(sc, "privileged")) || addsCapability(sc, "SYS_ADMIN") {
		return "", skipf("container %q is privileged or adds SYS_ADMIN, and the API server rejects allowPrivilegeEscalation: false with either", name)
	}
	if err := o.ensure(c, cn, []string{"securityContext", "allowPrivilegeEscalation"}, scalar("false")); err != nil {
		return "", err
	}
	return fmt.Sprintf("container %q: securityContext.allowPrivilegeEscalation: false", name), nil
}

// fixSeccompProfile writes seccompProfile type RuntimeDefault: in the
// profile the finding points at when one is there without a type, else in
// the container's securityContext.
func fixSeccompProfile(o *object, f engine.Finding, c *changeset, _ Options) (string, error) {
	if len(f.Path) == 0 {
		return "", skipf("the finding has no path")
	}
	switch f.Path[len(f.Path)-1].Key {
	case "type":
		return "", skipf("the seccomp profile is Unconfined as written; kubegate does not replace a profile someone chose")
	case "seccompProfile":
		p := o.walk(f.Path)
		if p == nil || p.Kind != yaml.MappingNode {
			return "", skipf("the seccompProfile at %s is not a mapping", f.Path)
		}
		if err := o.ensure(c, p, []string{"type"}, scalar("RuntimeDefault")); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s.type: RuntimeDefault", f.Path), nil
	}
	cn, _, name, err := o.container(f)
	if err != nil {
		return "", err
	}
	if err := o.ensure(c, cn, []string{"securityContext", "seccompProfile", "type"}, scalar("RuntimeDefault")); err != nil {
		return "", err
	}
	return fmt.Sprintf("container %q: securityContext.seccompProfile.type: RuntimeDefault", name), nil
}

// fixCapabilities adds ALL to the capabilities a non-root container drops.
// Capabilities someone added are left alone.
func fixCapabilities(o *object, f engine.Finding, c *changeset, _ Options) (string, error) {
	for i := 1; i < len(f.Path); i++ {
		if f.Path[i].Key == "add" && f.Path[i-1].Key == "capabilities" {
			return "", skipf("the container adds a capability on purpose; kubegate does not take it away")
		}
	}
	cn, pod, name, err := o.container(f)
	if err != nil {
		return "", err
	}
	if !runsAsNonRoot(cn, pod) {
		return "", skipf("container %q may run as root, and a root process that switches user (nginx, postgres) needs capabilities that dropping ALL removes; set runAsNonRoot or runAsUser first, or drop ALL yourself", name)
	}
	caps := lookup(lookup(cn, "securityContext"), "capabilities")
	drop := lookup(caps, "drop")
	switch {
	case drop == nil:
		if err := o.ensure(c, cn, []string{"securityContext", "capabilities", "drop"}, &value{seq: []string{"ALL"}}); err != nil {
			return "", err
		}
	case drop.Kind == yaml.SequenceNode:
		if err := o.appendItem(c, drop, "ALL"); err != nil {
			return "", err
		}
	default:
		return "", skipf("line %d: capabilities.drop is not a sequence", drop.Line)
	}
	return fmt.Sprintf("container %q: securityContext.capabilities.drop: [ALL]", name), nil
}

// runsAsNonRoot reports whether the container is known to run as a
// non-root user: a non-zero runAsUser, or runAsNonRoot true without a
// runAsUser, the container's setting winning over the pod's.
func runsAsNonRoot(cn, pod *yaml.Node) bool {
	csc, psc := lookup(cn, "securityContext"), lookup(pod, "securityContext")
	first := func(field string) *yaml.Node {
		if v := lookup(csc, field); v != nil {
			return v
		}
		return lookup(psc, field)
	}
	if uid := first("runAsUser"); uid != nil && !isNull(uid) {
		n, err := strconv.ParseInt(uid.Value, 10, 64)
		return uid.Tag == "!!int" && err == nil && n > 0
	}
	return truthy(first("runAsNonRoot"))
}

// appendItem stages adding a scalar item at the end of a sequence: a new
// "- item" line after the last item of a block sequence, or ", item"
// before the "]" of a flow sequence written on one line.
func (o *object) appendItem(c *changeset, seq *yaml.Node, item string) error {
	if seq.Style&yaml.FlowStyle != 0 {
		start, end, ok := o.t.flowEnd(seq)
		if !ok {
			return skipf("line %d: the sequence spans lines; add %s to it yourself", seq.Line, item)
		}
		if len(seq.Content) == 0 {
			c.edits = append(c.edits, edit{start: start, end: end, text: "[" + item + "]"})
			return nil
		}
		sp, ok := o.t.scalar(seq.Content[len(seq.Content)-1], true)
		if !ok {
			return skipf("line %d: the sequence's last item is not a one-line scalar; add %s yourself", seq.Line, item)
		}
		c.edits = append(c.edits, edit{start: sp.end, end: sp.end, text: ", " + item})
		return nil
	}
	last := seq.Content[len(seq.Content)-1]
	if keepsTrailingLines(last) {
		return skipf("line %d: the sequence's last item ends in a block scalar that keeps its trailing blank lines (|+ or >+), and an item added after it would change its value; add %s yourself", last.Line, item)
	}
	endLine := max(o.t.entryEnd(last.Line, seq.Column, false), lastLine(last))
	at := o.t.lineEnd(endLine)
	c.edits = append(c.edits, edit{start: at, end: at, text: o.t.eol + strings.Repeat(" ", seq.Column-1) + "- " + item, depth: seq.Column - 1})
	return nil
}

// fixImagePullPolicy writes imagePullPolicy: Always where the rule found
// IfNotPresent with a moving tag (:latest or none), which is what the API
// server would have defaulted it to. Never is left alone: it is how images
// preloaded into kind, minikube or air-gapped nodes are run.
func fixImagePullPolicy(o *object, f engine.Finding, c *changeset, _ Options) (string, error) {
	n := o.walk(f.Path)
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", skipf("the imagePullPolicy at %s is not a scalar", f.Path)
	}
	if n.Value != "IfNotPresent" {
		return "", skipf("imagePullPolicy %s is kept: it is how images preloaded on nodes (kind, minikube, air-gapped clusters) run; pin the image or change the policy yourself", n.Value)
	}
	if err := o.replaceScalar(c, n, "Always"); err != nil {
		return "", err
	}
	return "imagePullPolicy IfNotPresent → Always for a moving tag", nil
}
