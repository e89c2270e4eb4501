package benchcorpus_test

import (
	"context"
	"testing"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/internal/benchcorpus"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/rules"
)

// corpusSize is the floor for a throughput figure: 10,000 objects.
const corpusSize = 10_000

func setup(b *testing.B) ([]byte, *manifest.Parser, []engine.Rule) {
	b.Helper()
	data := benchcorpus.Generate(corpusSize, 1)
	all, err := rules.Builtin(context.Background())
	if err != nil {
		b.Fatalf("load rules: %v", err)
	}
	return data, manifest.NewParser(manifest.DefaultLimits()), all
}

func parse(b *testing.B, p *manifest.Parser, data []byte) []*engine.Object {
	b.Helper()
	objs, errs := p.Parse("corpus.yaml", data)
	if len(errs) > 0 || len(objs) != corpusSize {
		b.Fatalf("corpus: %d objects, %d errors", len(objs), len(errs))
	}
	return objs
}

func report(b *testing.B) {
	b.ReportMetric(float64(corpusSize*b.N)/b.Elapsed().Seconds(), "objects/s")
}

// BenchmarkLint is the whole pipeline: parse, decode, every default rule.
func BenchmarkLint(b *testing.B) {
	data, p, all := setup(b)
	e := engine.New(all)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		objs := parse(b, p, data)
		if _, err := e.Run(context.Background(), objs, nil); err != nil {
			b.Fatal(err)
		}
	}
	report(b)
}

// BenchmarkParse is reading and decoding only.
func BenchmarkParse(b *testing.B) {
	data, p, _ := setup(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		parse(b, p, data)
	}
	report(b)
}

// BenchmarkRules is the rules only, on objects parsed outside the timer.
// Objects cache per-run work (the Rego evaluation), so each iteration gets
// fresh ones.
func BenchmarkRules(b *testing.B) {
	data, p, all := setup(b)
	e := engine.New(all)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		objs := parse(b, p, data)
		b.StartTimer()
		if _, err := e.Run(context.Background(), objs, nil); err != nil {
			b.Fatal(err)
		}
	}
	report(b)
}
