package manifest

// Limits bound what one input may cost.
type Limits struct {
	// MaxFileSize is the largest file (or stdin stream) read, in bytes.
	MaxFileSize int64
	// MaxDepth is the deepest nesting of mappings and sequences accepted.
	MaxDepth int
	// MaxAliasNodes is how many nodes alias expansion may add to one file,
	// all its documents together.
	MaxAliasNodes int
}

// DefaultLimits are generous for any real manifest and small enough to keep a
// hostile one from exhausting memory.
func DefaultLimits() Limits {
	return Limits{
		// 64 MiB: the largest real-world inputs (a rendered chart of a big
		// platform, a CRD bundle) stay under 20 MiB; the API server caps a
		// request body at 3 MiB.
		MaxFileSize: 64 << 20,
		// 200 levels: deeply nested CRD schemas reach about 70; anything past 200
		// is generated to attack a parser.
		MaxDepth: 200,
		// 100,000 nodes: enough for anchors reused across many containers, far
		// short of a "billion laughs" document that expands to 10^9 nodes.
		MaxAliasNodes: 100_000,
	}
}
