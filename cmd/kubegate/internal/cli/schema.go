package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kubegate/kubegate/schema"
)

func newSchemaCmd(streams IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Work with the embedded Kubernetes schemas",
	}
	cmd.AddCommand(newSchemaExportCmd(streams), newSchemaVersionsCmd(streams))
	return cmd
}

func newSchemaVersionsCmd(streams IO) *cobra.Command {
	return &cobra.Command{
		Use:   "versions",
		Short: "List the Kubernetes releases whose schemas are embedded",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			for _, v := range schema.Versions() {
				r, err := schema.New(v)
				if err != nil {
					return &exitError{code: ExitError, err: err}
				}
				if _, err := fmt.Fprintf(streams.Out, "%s\t%s\t%d kinds\n", v, r.Module(), len(r.AllKinds())); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

type schemaExportOptions struct {
	kubernetesVersion string
}

func newSchemaExportCmd(streams IO) *cobra.Command {
	o := &schemaExportOptions{}
	cmd := &cobra.Command{
		Use:   "export DIR",
		Short: "Write the embedded schemas of one release as JSON files",
		Long: "Write the JSON Schema of every built-in kind of one Kubernetes release to DIR,\n" +
			"named as in the kubernetes-json-schema repository (deployment-apps-v1.json,\n" +
			"pod-v1.json), so that kubeconform and other tools can use them offline:\n\n" +
			"  kubeconform -strict -schema-location 'DIR/{{ .ResourceKind }}{{ .KindSuffix }}.json'",
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return o.run(streams, args[0])
		},
	}
	cmd.Flags().StringVar(&o.kubernetesVersion, "kubernetes-version", schema.Latest().String(), "Kubernetes release to export")
	return cmd
}

func (o *schemaExportOptions) run(streams IO, dir string) error {
	v, err := schema.ParseVersion(o.kubernetesVersion)
	if err != nil {
		return usageError("--kubernetes-version: %v", err)
	}
	reg, err := schema.New(v)
	if err != nil {
		return usageError("--kubernetes-version: %v", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("create %s: %w", dir, err)}
	}
	kinds := reg.AllKinds()
	for _, k := range kinds {
		apiVersion, kind, _ := strings.Cut(k, " ")
		b, err := reg.Document(apiVersion, kind)
		if err != nil {
			return &exitError{code: ExitError, err: err}
		}
		name := filepath.Join(dir, exportName(apiVersion, kind))
		if err := os.WriteFile(name, b, 0o644); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write schema %s: %w", name, err)}
		}
	}
	_, err = fmt.Fprintf(streams.Out, "wrote %d schemas of Kubernetes %s to %s\n", len(kinds), v, dir)
	return err
}

// exportName is kubernetes-json-schema's file name: the kind in lower case,
// then the first label of the group and the version (pod-v1.json,
// deployment-apps-v1.json, ingress-networking-v1.json).
func exportName(apiVersion, kind string) string {
	name := strings.ToLower(kind)
	if group, version, ok := strings.Cut(apiVersion, "/"); ok {
		first, _, _ := strings.Cut(group, ".")
		return name + "-" + first + "-" + version + ".json"
	}
	return name + "-" + apiVersion + ".json"
}
