// Command gen builds the embedded schemas: it downloads the published
// k8s.io/kubernetes module of each supported minor release, reads its
// api/openapi-spec/v3 documents, resolves them into one self-contained JSON
// Schema per group/version/kind, and writes them gzip-compressed and
// content-addressed (a kind unchanged between releases is stored once) under
// schema/data, with an index. Run it through `go generate ./schema`.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kubegate/kubegate/schema/internal/openapi"
)

// releases pins the module version read for each minor: the newest patch
// the module proxy had when the schemas were last generated. Patch releases
// do not change the API.
var releases = []struct{ minor, module string }{
	{"1.33", "v1.33.13"},
	{"1.34", "v1.34.4"},
	{"1.35", "v1.35.4"},
	{"1.36", "v1.36.3"},
	{"1.37", "v1.37.2"},
}

const refPrefix = "#/components/schemas/"

// Index is schema/data/index.json.
type Index struct {
	// Versions maps a minor ("1.37") to its kinds.
	Versions map[string]Release `json:"versions"`
}

// Release is one minor's kinds.
type Release struct {
	Module string `json:"module"`
	// Kinds maps "apps/v1 Deployment" to the blob holding its schema.
	Kinds map[string]string `json:"kinds"`
}

func main() {
	out := flag.String("out", "data", "output directory")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	if err := os.RemoveAll(out); err != nil {
		return fmt.Errorf("clean %s: %w", out, err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", out, err)
	}
	idx := Index{Versions: map[string]Release{}}
	blobs := map[string]bool{}
	for _, r := range releases {
		dir, err := download(r.module)
		if err != nil {
			return err
		}
		kinds, err := build(filepath.Join(dir, "api", "openapi-spec", "v3"))
		if err != nil {
			return fmt.Errorf("build schemas of %s: %w", r.module, err)
		}
		rel := Release{Module: "k8s.io/kubernetes@" + r.module, Kinds: map[string]string{}}
		for key, doc := range kinds {
			name, err := writeBlob(out, doc, blobs)
			if err != nil {
				return err
			}
			rel.Kinds[key] = name
		}
		idx.Versions[r.minor] = rel
		fmt.Fprintf(os.Stderr, "gen: %s (%s): %d kinds\n", r.minor, r.module, len(kinds))
	}
	b, err := json.MarshalIndent(idx, "", " ")
	if err != nil {
		return fmt.Errorf("encode index: %w", err)
	}
	if err := os.WriteFile(filepath.Join(out, "index.json"), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	fmt.Fprintf(os.Stderr, "gen: %d distinct schemas\n", len(blobs))
	return nil
}

// download fetches the module (GONOSUMDB: the checksum database reachable
// from some build machines lacks k8s.io/kubernetes) and returns its directory.
func download(version string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", "k8s.io/kubernetes@"+version)
	cmd.Env = append(os.Environ(), "GONOSUMDB=k8s.io/kubernetes", "GOFLAGS=")
	// Outside any module, so the download cannot touch kubegate's go.mod.
	cmd.Dir = os.TempDir()
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("download k8s.io/kubernetes@%s: %w", version, err)
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(b, &info); err != nil {
		return "", fmt.Errorf("read go mod download output: %w", err)
	}
	if info.Error != "" || info.Dir == "" {
		return "", fmt.Errorf("download k8s.io/kubernetes@%s: %s", version, info.Error)
	}
	return info.Dir, nil
}

// build reads every document in dir and returns one JSON Schema document
// per "apiVersion kind".
func build(dir string) (map[string][]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	defs := map[string]map[string]any{}
	roots := map[string]string{} // "apps/v1 Deployment" -> definition
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f, err)
		}
		var doc struct {
			Components struct {
				Schemas map[string]map[string]any `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("decode %s: %w", f, err)
		}
		for name, s := range doc.Components.Schemas {
			if _, seen := defs[name]; !seen {
				defs[name] = s
			}
			gvks, _ := s["x-kubernetes-group-version-kind"].([]any)
			// DeleteOptions, WatchEvent and friends list every group: they
			// are not objects anyone writes in a manifest.
			if len(gvks) != 1 {
				continue
			}
			g, _ := gvks[0].(map[string]any)
			group, _ := g["group"].(string)
			version, _ := g["version"].(string)
			kind, _ := g["kind"].(string)
			apiVersion := version
			if group != "" {
				apiVersion = group + "/" + version
			}
			roots[apiVersion+" "+kind] = name
		}
	}
	conv := make(map[string]map[string]any, len(defs))
	for name, s := range defs {
		c := openapi.Convert(s, openapi.Options{RefPrefix: refPrefix})
		if name == "io.k8s.apimachinery.pkg.api.resource.Quantity" {
			c["format"] = "quantity"
		}
		conv[name] = c
	}
	out := make(map[string][]byte, len(roots))
	for key, root := range roots {
		need := map[string]bool{root: true}
		queue := []string{root}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			refs := map[string]bool{}
			openapi.Refs(conv[n], refs)
			for r := range refs {
				if _, ok := conv[r]; !ok {
					return nil, fmt.Errorf("%s: reference to unknown definition %s", n, r)
				}
				if !need[r] {
					need[r] = true
					queue = append(queue, r)
				}
			}
		}
		names := make([]string, 0, len(need))
		for n := range need {
			names = append(names, n)
		}
		sort.Strings(names)
		ds := make(map[string]any, len(names))
		for _, n := range names {
			ds[n] = conv[n]
		}
		doc := map[string]any{
			"$schema": "https://json-schema.org/draft/2020-12/schema",
			"$ref":    "#/$defs/" + root,
			"$defs":   ds,
		}
		b, err := json.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("encode schema of %s: %w", key, err)
		}
		out[key] = b
	}
	return out, nil
}

func writeBlob(out string, doc []byte, written map[string]bool) (string, error) {
	sum := sha256.Sum256(doc)
	name := hex.EncodeToString(sum[:8]) + ".json.gz"
	if written[name] {
		return name, nil
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := zw.Write(doc); err != nil {
		return "", fmt.Errorf("compress %s: %w", name, err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("compress %s: %w", name, err)
	}
	if err := os.WriteFile(filepath.Join(out, strings.TrimSpace(name)), buf.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	written[name] = true
	return name, nil
}
