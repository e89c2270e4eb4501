package rules

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/policy"
)

//go:embed rego
var regoFiles embed.FS

// regoIndex describes regoFiles, so that a run parses only the policies of
// its kinds; TestRegoIndex keeps it fresh (go test ./rules -run
// TestRegoIndex -update), and a stale one is not used.
//
//go:embed regoindex.json
var regoIndex []byte

// RegoFS returns the embedded built-in Rego policies.
func RegoFS() fs.FS {
	sub, err := fs.Sub(regoFiles, "rego")
	if err != nil {
		// fs.Sub fails only on an invalid path, and "rego" is valid.
		panic(err)
	}
	return sub
}

// DocURL is where a built-in rule is documented.
func DocURL(id string) string {
	return "https://github.com/kubegate/kubegate/blob/main/docs/rules.md#" + id
}

// GoRules returns the built-in rules written in Go, in documentation order.
func GoRules() []engine.Rule {
	return []engine.Rule{
		newSchemaRule(),
		newDeprecatedAPI(),
		livenessProbeMissing{},
		readinessProbeMissing{},
		probePortUndeclared{},
		probeLivenessEqualsReadiness{},
		livenessProbeRestartNever{},
		resourcesRequestsExceedLimits{},
		qosBestEffort{},
		memoryLimitMissing{},
		qosMinClass{},
		workloadSelector{},
		rollingUpdateZero{},
		hpaReplicas{},
		containerNames{},
		volumeNames{},
		objectName{},
		labelsAnnotations{},
		portRanges{},
		cronJobSchedule{},
		tolerations{},
		selectorOperators{},
		pvcAccessModes{},
		configData{},
		ingressPaths{},
		rbacRefs{},
		pvcUnbound{},
		pvClaimRace{},
		pvClaimRefMissing{},
		pvReclaimRecycle{},
		pvHostPath{},
		podClaimMissing{},
		statefulSetClaimClass{},
		// Family 5: security.
		serviceAccountToken{},
		// Family 5: workload hygiene.
		replicasMinimum{},
		pdbMissing{},
		hpaReplicasConflict{},
		namespaceDefault{},
		statefulSetService{},
		// Family 4: services and networking.
		serviceSelector{},
		serviceType{},
		networkPolicySelector{},
		hpaTarget{},
		pdbPolicy{},
		// Family 3: ingress paths (ingress-path-regex and
		// ingress-wildcard-host are Rego).
		ingressPathConflict{},
		ingressBackendService{},
		ingressTLSSecret{},
		ingressClass{},
		// Family 2: RBAC (rbac-wildcard, rbac-privilege-escalation,
		// rbac-secrets-read and rbac-workload-access are Rego).
		rbacAnonymousBinding{},
		rbacClusterAdmin{},
		rbacRoleMissing{},
		serviceAccountMissing{},
		// Parity with kube-linter, kube-score and Polaris.
		networkPolicyMissing{},
		configRefMissing{},
		serviceMonitorSelector{},
		probeTimingValues{},
		probeHandlers{},
		probeSuccessThreshold{},
		startupProbeMissing{},
		hostPort{},
		// Ported from Rego for speed, with the same findings.
		imageTag{},
		imageDigest{},
		imagePullPolicy{},
		resourceRequests{},
		cpuLimit{},
		ephemeralStorage{},
		ownerMetadata{},
		// Ported from Rego for speed: pod security contexts.
		runAsHighUID{},
		runAsNonRoot{},
		seccompProfile{},
		capabilities{},
		privilegeEscalation{},
		readOnlyRootFilesystem{},
		apparmorProfile{},
		privilegedContainer{},
		envSecretValue{},
		configMapSecretValue{},
		envDuplicate{},
		hostPath{},
	}
}

// Load returns every built-in rule (Go, then Rego) plus the rules of the
// users' policy directories, which are compiled together with the built-in
// policies so they may import data.lib.kubegate, and last
// ignore-annotation, which knows them all.
func Load(ctx context.Context, policyDirs []string) ([]engine.Rule, error) {
	set, err := policy.Load(ctx, PolicyOptions(policyDirs))
	if err != nil {
		return nil, fmt.Errorf("load rules: %w", err)
	}
	all := append(GoRules(), set.Rules()...)
	ids := make([]string, 0, len(all))
	for _, r := range all {
		ids = append(ids, r.Meta().ID)
	}
	// ignore-annotation checks kubegate.io/ignore against every rule
	// loaded, the users' policies included, so it is built last.
	return append(all, newIgnoreAnnotation(ids)), nil
}

// PolicyOptions are the engine/policy options for the built-in policies
// plus the users' directories; `kubegate policy test` uses them too.
func PolicyOptions(policyDirs []string) policy.Options {
	return policy.Options{Builtin: RegoFS(), BuiltinPrefix: "rules/rego/", Dirs: policyDirs, DocURL: DocURL, BuiltinIndex: regoIndex}
}

// Builtin returns every built-in rule.
func Builtin(ctx context.Context) ([]engine.Rule, error) {
	return Load(ctx, nil)
}
