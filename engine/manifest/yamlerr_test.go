package manifest

import (
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// TestSyntaxErrorLines breaks one line of each document of the test data
// the way hands do (an indentation off by one, a colon dropped, a bracket,
// quote or tab added) and counts how often the error names the broken
// line. goyaml's own line, which names where the enclosing block began,
// is the broken line for about 40% of them; syntaxError must name it for
// at least 75%, and always a line and column. The rest are mostly lines
// further down where the text really stops being YAML: a quote opened on
// the broken line that another line closes.
func TestSyntaxErrorLines(t *testing.T) {
	docs := testDocuments(t)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range docs {
			if !yield(n) {
				return
			}
		}
	})
	breaks := []func(string) string{
		func(l string) string { return " " + l },
		func(l string) string { return strings.TrimPrefix(l, " ") },
		func(l string) string { return strings.Replace(l, ":", "", 1) },
		func(l string) string { return l + " [" },
		func(l string) string { return l + " \"" },
		func(l string) string { return strings.Replace(l, ": ", ": {", 1) },
		func(l string) string { return "\t" + l },
	}
	r := rand.New(rand.NewSource(1))
	total, goyamlHits, hits := 0, 0, 0
	for _, name := range names {
		lines := strings.Split(string(docs[name]), "\n")
		for range 3 {
			i := r.Intn(len(lines))
			b := r.Intn(len(breaks))
			if strings.TrimSpace(lines[i]) == "" {
				continue
			}
			broken := slices.Clone(lines)
			broken[i] = breaks[b](lines[i])
			data := []byte(strings.Join(broken, "\n"))
			var doc yaml.Node
			err := yaml.Unmarshal(data, &doc)
			if err == nil {
				continue
			}
			goyamlLine := 0
			if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
				goyamlLine, _ = strconv.Atoi(m[1])
			}
			_, line, col := syntaxError(data, err)
			if line < 1 || col < 1 {
				t.Errorf("%s, line %d broken: error at %d:%d, goyaml names line %d: %v", name, i+1, line, col, goyamlLine, err)
			}
			total++
			if goyamlLine == i+1 {
				goyamlHits++
			}
			if line == i+1 {
				hits++
			}
		}
	}
	t.Logf("%d broken documents: goyaml names the broken line for %d (%.0f%%), syntaxError for %d (%.0f%%)",
		total, goyamlHits, 100*float64(goyamlHits)/float64(total), hits, 100*float64(hits)/float64(total))
	if total < 1000 {
		t.Fatalf("only %d broken documents; the test data shrank", total)
	}
	if hits*4 < total*3 {
		t.Errorf("syntaxError names the broken line for %d of %d documents; want at least 75%%", hits, total)
	}
}
