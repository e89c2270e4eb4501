package cli

import (
	"github.com/spf13/pflag"

	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/engine/render"
	"github.com/kubegate/kubegate/schema"
)

// renderOptions are lint's flags for Helm charts: what `helm template`
// takes. Kustomize directories need none.
type renderOptions struct {
	valueFiles     []string
	set, setString []string
	releaseName    string
	namespace      string
}

func (o *renderOptions) addFlags(f *pflag.FlagSet) {
	f.StringArrayVarP(&o.valueFiles, "values", "f", nil, "Helm values file merged over every chart's values.yaml, in order; repeatable")
	f.StringArrayVar(&o.set, "set", nil, "Helm value, KEY=VALUE as helm --set takes it, applied after --values; repeatable")
	f.StringArrayVar(&o.setString, "set-string", nil, "Helm value kept a string, KEY=VALUE; repeatable")
	f.StringVar(&o.releaseName, "release-name", render.DefaultReleaseName, "Helm release name charts are rendered with (.Release.Name)")
	f.StringVar(&o.namespace, "namespace", "", "Helm release namespace: .Release.Namespace, and the namespace of rendered objects that name none (default: default)")
}

// renderer returns what lint's loader builds charts and kustomizations
// with. kubernetesVersion is --kubernetes-version, already checked; Helm's
// .Capabilities.KubeVersion is that release, or the newest one kubegate
// has schemas for, as validation is.
func (o *renderOptions) renderer(p *manifest.Parser, kubernetesVersion string) (manifest.Renderer, error) {
	if kubernetesVersion == "" {
		kubernetesVersion = schema.Latest().String()
	}
	r, err := render.New(p, render.Options{
		ValueFiles:  o.valueFiles,
		Set:         o.set,
		SetString:   o.setString,
		ReleaseName: o.releaseName,
		Namespace:   o.namespace,
		KubeVersion: kubernetesVersion,
	})
	if err != nil {
		return nil, usageError("%v", err)
	}
	return r, nil
}
