package rules

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// DocsRegenerate is the command that rewrites docs/rules.md; the generated
// file names it in its header.
const DocsRegenerate = "go test ./rules -run TestDocs -update"

// WriteDocs writes the rule reference (docs/rules.md) for rs: a summary
// table, then one section per rule anchored at its ID, with title,
// description, remediation and parameters. Rules are sorted by ID, so the
// output depends only on their metadata.
func WriteDocs(w io.Writer, rs []engine.Rule) error {
	metas := make([]engine.Meta, 0, len(rs))
	for _, r := range rs {
		metas = append(metas, r.Meta())
	}
	slices.SortFunc(metas, func(a, b engine.Meta) int { return cmp.Compare(a.ID, b.ID) })
	for i := 1; i < len(metas); i++ {
		if metas[i].ID == metas[i-1].ID {
			return fmt.Errorf("write rule docs: rule %s is defined twice", metas[i].ID)
		}
	}
	for _, m := range metas {
		if !anchorSafe(m.ID) {
			return fmt.Errorf("write rule docs: rule id %q cannot be an anchor: use lowercase letters, digits and dashes", m.ID)
		}
	}

	bw := bufio.NewWriter(w)
	// A bufio.Writer keeps its first error and Flush returns it, so the
	// writes below need not check theirs.
	p := func(format string, args ...any) { _, _ = fmt.Fprintf(bw, format, args...) }
	p("# Rule reference\n\n")
	p("<!-- Code generated from the rules' metadata by `%s`. DO NOT EDIT. -->\n\n", DocsRegenerate)
	p("This file is generated from the metadata of kubegate's built-in rules. To regenerate it after\n")
	p("changing a rule, run:\n\n")
	p("```sh\n%s\n```\n\n", DocsRegenerate)
	p("Rules marked *off* run only when enabled by name in the configuration.\n\n")
	p("| ID | Severity | Kinds | Source | Default |\n")
	p("|---|---|---|---|---|\n")
	for _, m := range metas {
		p("| [%s](#%s) | %s | %s | %s | %s |\n", m.ID, m.ID, m.Severity, cell(kindsText(m.Kinds)), sourceKind(m.Source), onOff(m.Disabled))
	}
	for _, m := range metas {
		p("\n## %s\n\n", m.ID)
		p("**%s**\n\n", prose(strings.TrimSpace(m.Title)))
		p("- Severity: %s\n", m.Severity)
		p("- Kinds: %s\n", kindsText(m.Kinds))
		if src := sourceKind(m.Source); src == "rego" {
			p("- Source: Rego, [`%s`](%s)\n", m.Source, path.Join("..", m.Source))
		} else {
			p("- Source: %s\n", src)
		}
		p("- Default: %s\n", onOff(m.Disabled))
		if d := strings.TrimSpace(m.Description); d != "" {
			p("\n%s\n", prose(d))
		}
		if r := strings.TrimSpace(m.Remediation); r != "" {
			p("\n**Remediation:** %s\n", prose(r))
		}
		if len(m.Params) > 0 {
			p("\n**Parameters:**\n\n")
			p("| Name | Type | Default | Description |\n")
			p("|---|---|---|---|\n")
			for _, pd := range m.Params {
				def := "none"
				if pd.Default != nil {
					def = fmt.Sprintf("`%v`", pd.Default)
				}
				p("| `%s` | %s | %s | %s |\n", pd.Name, cell(pd.Type), cell(def), cell(prose(pd.Description)))
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write rule docs: %w", err)
	}
	return nil
}

// anchorSafe reports whether id is its own GitHub heading anchor: GitHub
// lowercases headings and keeps letters, digits, dashes and underscores.
func anchorSafe(id string) bool {
	if id == "" {
		return false
	}
	for _, r := range id {
		if r != '-' && r != '_' && (r < 'a' || r > 'z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func kindsText(kinds []string) string {
	if len(kinds) == 0 || slices.Contains(kinds, "*") {
		return "all"
	}
	return strings.Join(kinds, ", ")
}

// sourceKind is "go" for Go rules and "rego" for rules defined in a .rego
// file (whose Meta.Source is the file's path).
func sourceKind(source string) string {
	if strings.HasSuffix(source, ".rego") {
		return "rego"
	}
	if source == "" {
		return "go"
	}
	return source
}

func onOff(disabled bool) string {
	if disabled {
		return "off"
	}
	return "on"
}

// cell makes text safe inside a Markdown table cell: one line, no bare
// pipes.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// prose escapes < and > outside `code spans`, so that text such as
// "<kind>" shows up instead of being taken for an HTML tag.
func prose(s string) string {
	parts := strings.Split(s, "`")
	for i := 0; i < len(parts); i += 2 {
		// An unbalanced trailing backtick opens no code span.
		parts[i] = strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(parts[i])
	}
	if len(parts)%2 == 0 {
		last := len(parts) - 1
		parts[last] = strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(parts[last])
	}
	return strings.Join(parts, "`")
}
