package benchcorpus

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/kubegate/kubegate/engine/manifest"
)

func TestCorpusParsesCleanly(t *testing.T) {
	data := Generate(500, 1)
	objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse("corpus.yaml", data)
	if len(errs) > 0 {
		t.Fatalf("corpus has parse errors: %v", errs[0])
	}
	if len(objs) != 500 {
		t.Fatalf("got %d objects, want 500", len(objs))
	}
	kinds := map[string]int{}
	for _, o := range objs {
		kinds[o.Kind]++
	}
	if len(kinds) < 12 {
		t.Errorf("corpus is not mixed enough: %v", kinds)
	}
	if !bytes.Equal(data, Generate(500, 1)) {
		t.Error("the same seed gave a different corpus")
	}
	if bytes.Equal(data, Generate(500, 2)) {
		t.Error("another seed gave the same corpus")
	}
}

func TestWriteFiles(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFiles(dir, 250, 1); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if len(files) != 3 {
		t.Fatalf("got %d files, want 3", len(files))
	}
	b, err := os.ReadFile(files[2])
	if err != nil {
		t.Fatal(err)
	}
	objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse(files[2], b)
	if len(errs) > 0 || len(objs) != 50 {
		t.Fatalf("last file: %d objects, errors %v", len(objs), errs)
	}
}
