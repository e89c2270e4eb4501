package manifest

import (
	"bytes"
	"errors"
	"fmt"
	goruntime "runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
	"golang.org/x/text/encoding/unicode"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"

	"github.com/kubegate/kubegate/engine"
)

// Parser turns one file's bytes into objects. It is safe for concurrent use.
type Parser struct {
	limits Limits
	scheme *runtime.Scheme
}

// NewParser returns a parser with the given limits that decodes every kind
// client-go's scheme knows (all built-in kinds) into its k8s.io/api type.
func NewParser(limits Limits) *Parser {
	return &Parser{limits: limits, scheme: clientgoscheme.Scheme}
}

// maxListDepth bounds List-in-List nesting; kubectl never nests them, and a
// bound keeps a crafted input from recursing.
const maxListDepth = 4

// Parse reads one file. name is what findings and errors report. It returns
// every object it could read and an error for every document it could not;
// an error in one document does not hide the others.
func (p *Parser) Parse(name string, data []byte) ([]*engine.Object, []*engine.FileError) {
	return p.parse(name, data, true)
}

// ParseRendered is Parse for what a renderer (a Helm chart, a Kustomize
// build: package engine/render) produced: it ignores "# Source:" comments,
// since the renderer knows better where each document came from, so every
// line reported is a line of data.
func (p *Parser) ParseRendered(name string, data []byte) ([]*engine.Object, []*engine.FileError) {
	return p.parse(name, data, false)
}

func (p *Parser) parse(name string, data []byte, helmSources bool) ([]*engine.Object, []*engine.FileError) {
	if int64(len(data)) > p.limits.MaxFileSize {
		return nil, []*engine.FileError{fileErr(name, 0, 0, "file is %d bytes, larger than the %d-byte limit", len(data), p.limits.MaxFileSize)}
	}
	data, err := normalizeEncoding(data)
	if err != nil {
		return nil, []*engine.FileError{{Location: engine.Location{File: name}, Err: err}}
	}
	if !utf8.Valid(data) {
		line, col := invalidUTF8Position(data)
		return nil, []*engine.FileError{fileErr(name, line, col, "invalid UTF-8 byte sequence; save the file as UTF-8")}
	}

	var chunks []chunk
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		// JSON: one document, never split at "---".
		chunks = []chunk{{data: data, firstLine: 1}}
	} else {
		chunks = splitDocs(data, helmSources)
	}

	// Documents are independent: parse them in parallel, keep their order.
	type parsed struct {
		objs []*engine.Object
		errs []*engine.FileError
	}
	out := make([]parsed, len(chunks))
	workers := min(goruntime.GOMAXPROCS(0), len(chunks))
	var aliasBudget atomic.Int64
	aliasBudget.Store(int64(p.limits.MaxAliasNodes))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(chunks) {
					return
				}
				o, e := p.parseChunk(name, i, chunks[i], &aliasBudget)
				out[i] = parsed{o, e}
			}
		})
	}
	wg.Wait()
	var objs []*engine.Object
	var errs []*engine.FileError
	for _, r := range out {
		objs = append(objs, r.objs...)
		errs = append(errs, r.errs...)
	}
	return objs, errs
}

// docContext is what one document's objects and errors need to report
// positions.
type docContext struct {
	file, origin string
	lineOffset   int
	index        int
}

func (d docContext) errAt(line, col int, format string, args ...any) *engine.FileError {
	if line > 0 {
		line += d.lineOffset
	}
	return fileErr(d.file, line, col, format, args...)
}

func (p *Parser) parseChunk(name string, index int, c chunk, aliasBudget *atomic.Int64) ([]*engine.Object, []*engine.FileError) {
	if !hasContent(c.data, c.odd) {
		return nil, nil
	}
	dc := docContext{file: name, lineOffset: c.firstLine - 1, index: index}
	if c.source != "" {
		dc.file, dc.origin = c.source, name
		dc.lineOffset -= c.sourceLine
	}
	raw, pos, ferr := p.parseDocument(dc, c.data, aliasBudget)
	switch {
	case ferr != nil:
		return nil, []*engine.FileError{ferr}
	case raw == nil:
		return nil, nil
	}
	return p.objects(dc, pos, raw, 0)
}

// parseDocument reads one document that must be a mapping: with the fast
// parser when it can, else with goyaml, which also explains any error. It
// returns nil values for an empty document.
func (p *Parser) parseDocument(dc docContext, data []byte, aliasBudget *atomic.Int64) (map[string]any, *posNode, *engine.FileError) {
	if raw, pos, ok := fastParse(data, p.limits.MaxDepth); ok {
		return raw, pos, nil
	}
	return p.slowDocument(dc, data, aliasBudget)
}

// slowDocument is parseDocument with goyaml's node API, for every document.
func (p *Parser) slowDocument(dc docContext, data []byte, aliasBudget *atomic.Int64) (map[string]any, *posNode, *engine.FileError) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg, line, col := syntaxError(data, err)
		return nil, nil, dc.errAt(line, col, "%s", msg)
	}
	if len(doc.Content) == 0 {
		return nil, nil, nil
	}
	root := deref(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil, nil // an explicitly empty document, as kubectl skips it
	}
	if root.Kind != yaml.MappingNode {
		return nil, nil, dc.errAt(root.Line, root.Column, "document is a %s, not a mapping; a Kubernetes object is a mapping with apiVersion and kind", kindName(root.Kind))
	}
	conv := &converter{lineOffset: dc.lineOffset, maxDepth: p.limits.MaxDepth, maxAliasNodes: p.limits.MaxAliasNodes, budget: aliasBudget}
	v, err := conv.mapping(root, 1)
	if err != nil {
		return nil, nil, nodeErr(dc, err)
	}
	return v, positions(root, data), nil
}

// objects builds the objects of one mapping, expanding List kinds.
func (p *Parser) objects(dc docContext, node *posNode, raw map[string]any, listDepth int) ([]*engine.Object, []*engine.FileError) {
	apiVersion, kind, ferr := typeMeta(dc, node, raw)
	if ferr != nil {
		return nil, []*engine.FileError{ferr}
	}
	if items, isList := raw["items"].([]any); isList && strings.HasSuffix(kind, "List") {
		if listDepth >= maxListDepth {
			return nil, []*engine.FileError{dc.errAt(int(node.line), int(node.col), "lists nested deeper than %d levels", maxListDepth)}
		}
		var itemsNode *posNode
		if k, ok := node.key("items"); ok {
			itemsNode = k.val
		}
		var objs []*engine.Object
		var errs []*engine.FileError
		for i, it := range items {
			// items may come from a merge key (<<), with no sequence node
			// of its own; its objects then point at the list.
			line, col, itemNode := int(node.line), int(node.col), node
			if itemsNode != nil && i < len(itemsNode.items) {
				item := itemsNode.items[i]
				line, col, itemNode = int(item.line), int(item.col), item.node
			}
			m, ok := it.(map[string]any)
			if !ok || itemNode == nil {
				errs = append(errs, dc.errAt(line, col, "item %d of %s is a %s, not an object", i, kind, valueKind(it)))
				continue
			}
			o, e := p.objects(dc, itemNode, m, listDepth+1)
			objs = append(objs, o...)
			errs = append(errs, e...)
		}
		return objs, errs
	}

	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		line, col := node.keyPos("apiVersion")
		return nil, []*engine.FileError{dc.errAt(line, col, "apiVersion %q is not group/version or version", apiVersion)}
	}
	obj := &engine.Object{
		APIVersion: apiVersion,
		Kind:       kind,
		GVK:        gv.WithKind(kind),
		Raw:        raw,
		Source: engine.Source{
			File: dc.file, Line: int(node.line) + dc.lineOffset, Column: int(node.col),
			Origin: dc.origin, Document: dc.index,
		},
		Locator: &posLocator{root: node, lineOffset: dc.lineOffset},
	}
	if md, ok := raw["metadata"].(map[string]any); ok {
		obj.Name, _ = md["name"].(string)
		obj.Namespace, _ = md["namespace"].(string)
		if ls, ok := md["labels"].(map[string]any); ok {
			obj.Labels = make(map[string]string, len(ls))
			for k, v := range ls {
				if s, ok := v.(string); ok {
					obj.Labels[k] = s
				}
			}
		}
	}
	obj.SetTypedDecoder(p.decodeTyped)
	return []*engine.Object{obj}, nil
}

func typeMeta(dc docContext, node *posNode, raw map[string]any) (apiVersion, kind string, _ *engine.FileError) {
	for _, field := range []string{"apiVersion", "kind"} {
		v, present := raw[field]
		s, isString := v.(string)
		switch {
		case !present:
			return "", "", dc.errAt(int(node.line), int(node.col), "object has no %s", field)
		case !isString || s == "":
			line, col := node.keyPos(field)
			return "", "", dc.errAt(line, col, "%s must be a non-empty string", field)
		}
		if field == "apiVersion" {
			apiVersion = s
		} else {
			kind = s
		}
	}
	return apiVersion, kind, nil
}

// valueKind names a decoded value's YAML kind for messages.
func valueKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "mapping"
	case []any:
		return "sequence"
	}
	return "scalar"
}

func fileErr(file string, line, col int, format string, args ...any) *engine.FileError {
	return &engine.FileError{Location: engine.Location{File: file, Line: line, Column: col}, Err: fmt.Errorf(format, args...)}
}

func nodeErr(dc docContext, err error) *engine.FileError {
	var ne *nodeError
	if errors.As(err, &ne) {
		return dc.errAt(ne.line, ne.column, "%s", ne.msg)
	}
	return dc.errAt(0, 0, "%v", err)
}

// normalizeEncoding drops a UTF-8 byte-order mark and decodes UTF-16 (with
// its mark) to UTF-8, as editors on Windows write them.
func normalizeEncoding(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return nil, fmt.Errorf("decode UTF-16: %w", err)
		}
		return out, nil
	}
	return data, nil
}

// invalidUTF8Position is the line and column of data's first byte that is
// not UTF-8, with lines broken as goyaml breaks them.
func invalidUTF8Position(data []byte) (line, col int) {
	i := 0
	for i < len(data) {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	l, c := newSource(data[:i]).mark(i)
	return int(l), int(c)
}
