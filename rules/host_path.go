package rules

import (
	"context"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// hostPath reports hostPath volumes: an error for the node's sensitive
// directories and files (or their parents), a warning for any other, and a
// warning for each container that mounts one writable. It was the Rego
// policy kubegate.rules.host_path, ported to Go for speed; it reports the
// same findings, but for a pod with two hostPath volumes of the same name,
// where the policy failed (its host_volumes object had two values for one
// key) and this rule reports each volume.
type hostPath struct{}

var hostPathMeta = engine.Meta{
	ID:    "host-path",
	Title: "Pods do not mount the node's sensitive directories",
	Description: "A hostPath volume is a directory or file of the node. Mounting the container runtime's " +
		"socket (docker.sock, containerd.sock, crio.sock) lets the pod start privileged containers on the " +
		"node; mounting /, /etc, /proc, /sys, /dev, /boot, /root, /lib, /usr, the kubelet's or the " +
		"runtime's state directories, or a parent of any of them, exposes the node's credentials and " +
		"configuration: those are errors. Any other hostPath ties the pod's data to one node and is a " +
		"warning, as is a container that mounts a hostPath volume writable. Paths are compared after " +
		"removing trailing and doubled slashes. Matches kube-linter's docker-sock, sensitive-host-mounts " +
		"and writable-host-mount and Polaris' hostPathSet.",
	Remediation: "Use a volume that is not the node's (emptyDir, a PersistentVolumeClaim, a ConfigMap or " +
		"Secret); if a node agent truly needs the directory, mount the narrowest path read-only.",
	Severity: engine.Error,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("host-path"),
}

// sensitiveHostPaths are the node's directories and files whose contents
// let a pod take over the node or read its credentials, in the order
// messages list them.
var sensitiveHostPaths = [...]string{
	"/", "/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/lib", "/usr", "/bin", "/sbin",
	"/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd", "/run/containerd",
	"/var/run/crio", "/run/crio", "/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd",
	"/etc/kubernetes", "/var/lib/etcd",
}

// hostVolume is a volume of the pod spec with a string hostPath.path and
// a name key.
type hostVolume struct {
	At   engine.PathElem
	Name any
	Path string // cleaned
}

// Meta describes the rule.
func (hostPath) Meta() engine.Meta { return hostPathMeta }

// Check reports each hostPath volume at its path, and each mount of one
// that is not readOnly: true at the mount.
func (hostPath) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok {
		return nil, nil
	}
	var vols []hostVolume
	for at, v := range rawItems(pod.Spec["volumes"]) {
		m, _ := v.(map[string]any)
		hp, _ := m["hostPath"].(map[string]any)
		p, ok := hp["path"].(string)
		if !ok {
			continue
		}
		name, ok := m["name"]
		if !ok {
			continue
		}
		vols = append(vols, hostVolume{At: at, Name: name, Path: cleanHostPath(p)})
	}
	if len(vols) == 0 {
		return nil, nil
	}

	var out []engine.Finding
	for _, v := range vols {
		at := append(pod.Path.Child("volumes"), v.At, engine.PathElem{Key: "hostPath"}, engine.PathElem{Key: "path"})
		if hits := sensitiveHits(v.Path); hits != "" {
			out = append(out, engine.NewFinding(hostPathMeta, at,
				"volume %q mounts the node's %s, which %s: a pod with it can read the node's secrets or take the node over",
				regoArg(v.Name), v.Path, hits))
			continue
		}
		out = append(out, hostPathWarning(at,
			"volume %q is the node's directory %s: its data stays on that node when the pod moves",
			regoArg(v.Name), v.Path))
	}
	for _, c := range pod.Containers() {
		for at, mv := range rawItems(c.M["volumeMounts"]) {
			m, ok := mv.(map[string]any)
			if !ok {
				continue
			}
			name, ok := m["name"]
			if !ok || m["readOnly"] == true || !hasHostVolume(vols, name) {
				continue
			}
			out = append(out, hostPathWarning(append(c.Path.Child("volumeMounts"), at),
				"container %q mounts hostPath volume %q writable; add readOnly: true unless it must write to the node",
				containerNameArg(c), regoArg(name)))
		}
	}
	return out, nil
}

// hostPathWarning is a finding of the policy's warn rules, which report at
// warning (the rule's severity is error).
func hostPathWarning(at engine.Path, format string, args ...any) engine.Finding {
	f := engine.NewFinding(hostPathMeta, at, format, args...)
	f.Severity = min(hostPathMeta.Severity, engine.Warning)
	return f
}

// hasHostVolume reports whether a hostPath volume has the name.
func hasHostVolume(vols []hostVolume, name any) bool {
	for _, v := range vols {
		if regoEqual(v.Name, name) {
			return true
		}
	}
	return false
}

// cleanHostPath removes doubled and trailing slashes and makes the path
// absolute: "/var//run/" is "/var/run", and a path of slashes only (or an
// empty one) is "/".
func cleanHostPath(p string) string {
	t := strings.Trim(p, "/")
	if t == "" {
		return "/"
	}
	if !strings.Contains(t, "//") {
		return "/" + t
	}
	var b strings.Builder
	b.Grow(len(t) + 1)
	b.WriteByte('/')
	for i := 0; i < len(t); i++ {
		if t[i] == '/' && t[i-1] == '/' {
			continue
		}
		b.WriteByte(t[i])
	}
	return b.String()
}

// sensitiveHits describes how the cleaned path p meets each sensitive
// path it is, is inside or holds, joined with ", "; "" when none.
func sensitiveHits(p string) string {
	var b strings.Builder
	for _, s := range sensitiveHostPaths {
		var what string
		switch {
		case p == s:
			what = "is itself sensitive"
		case s != "/" && isUnder(p, s):
			what = "is inside "
		case p != "/" && isUnder(s, p):
			what = "holds "
		default:
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(what)
		if p != s {
			b.WriteString(s)
		}
	}
	return b.String()
}

// isUnder reports whether p starts with dir followed by a slash.
func isUnder(p, dir string) bool {
	return len(p) > len(dir) && p[len(dir)] == '/' && strings.HasPrefix(p, dir)
}
