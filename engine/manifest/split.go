package manifest

import (
	"bytes"
)

// chunk is one YAML document of a stream, cut out before parsing so that a
// syntax error in one document does not hide the documents after it.
type chunk struct {
	data []byte
	// firstLine is the 1-based line of data's first byte in the file.
	firstLine int
	// source is the Helm "# Source:" name in force for this document, and
	// sourceLine the line of that comment (0 when there is none).
	source     string
	sourceLine int
	// odd says whether the stream breaks lines other than with "\n" or
	// "\r\n" (see HasOddLineBreaks).
	odd bool
}

const helmSourcePrefix = "# Source: "

// split cuts a stream at document markers: a line that is "---" or starts
// with "--- ", or a "..." end marker. Lines break where goyaml breaks them
// (see LineBreakLen), so that no document goes unseen inside another. Markers
// only count at column 1, where they cannot be part of a block scalar
// inside a mapping, the only kind of document that makes an object.
func split(data []byte) []chunk { return splitDocs(data, true) }

// splitDocs is split; helmSources says whether "# Source:" comments name
// the documents after them.
func splitDocs(data []byte, helmSources bool) []chunk {
	var chunks []chunk
	var source string
	var sourceLine int
	start, startLine := 0, 1
	line := 1
	var pending string
	var pendingLine int
	// seen says whether the chunk being read has content yet; kept line by
	// line so the whole split stays linear in the input.
	seen := false
	odd := HasOddLineBreaks(data)
	emit := func(end int) {
		if end > start {
			chunks = append(chunks, chunk{data: data[start:end], firstLine: startLine, source: source, sourceLine: sourceLine, odd: odd})
		}
		if pending != "" {
			source, sourceLine, pending = pending, pendingLine, ""
		}
	}
	for off := 0; off < len(data); line++ {
		end, next := NextLine(data, off, odd)
		text := data[off:end]
		switch {
		case isDocMarker(text, "---"):
			emit(off)
			// Content after "--- " on the same line belongs to the new
			// document; keep it by starting the chunk after the marker.
			start, startLine = off+3, line
			seen = isContentLine(text[3:])
		case isDocMarker(text, "..."):
			emit(off)
			start, startLine = next, line+1
			seen = false
		case helmSources && bytes.HasPrefix(text, []byte(helmSourcePrefix)):
			// Helm writes "---\n# Source: chart/templates/x.yaml" before
			// every document it renders. A comment after a document's
			// content (never written by Helm) names the documents after it.
			name := string(bytes.TrimSpace(text[len(helmSourcePrefix):]))
			if seen {
				pending, pendingLine = name, line
			} else {
				source, sourceLine = name, line
			}
		default:
			seen = seen || isContentLine(text)
		}
		off = next
	}
	emit(len(data))
	return chunks
}

// isContentLine reports whether a line holds more than blanks, a comment
// or a directive.
func isContentLine(l []byte) bool {
	l = bytes.TrimSpace(l)
	return len(l) > 0 && l[0] != '#' && l[0] != '%'
}

func isDocMarker(line []byte, marker string) bool {
	if !bytes.HasPrefix(line, []byte(marker)) {
		return false
	}
	rest := line[len(marker):]
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t'
}

// hasContent reports whether b holds anything but blank lines, comments and
// directives; odd is HasOddLineBreaks of b or of the stream it is cut from.
func hasContent(b []byte, odd bool) bool {
	for off := 0; off < len(b); {
		end, next := NextLine(b, off, odd)
		if isContentLine(b[off:end]) {
			return true
		}
		off = next
	}
	return false
}
