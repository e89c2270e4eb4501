package schema

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is a Kubernetes minor release such as 1.22.
type Version struct {
	Major, Minor int
}

// IsZero reports whether v is unset.
func (v Version) IsZero() bool { return v.Major == 0 && v.Minor == 0 }

// Less reports whether v is an earlier release than w.
func (v Version) Less(w Version) bool {
	if v.Major != w.Major {
		return v.Major < w.Major
	}
	return v.Minor < w.Minor
}

// String renders 1.22.
func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// ParseVersion reads 1.22, v1.22 or 1.22.3 (the patch release is ignored).
func ParseVersion(s string) (Version, error) {
	t := strings.TrimPrefix(strings.TrimSpace(s), "v")
	parts := strings.Split(t, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, fmt.Errorf("parse Kubernetes version %q: want 1.MINOR", s)
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || major != 1 || minor < 0 {
		return Version{}, fmt.Errorf("parse Kubernetes version %q: want 1.MINOR", s)
	}
	if len(parts) == 3 {
		if _, err := strconv.Atoi(parts[2]); err != nil {
			return Version{}, fmt.Errorf("parse Kubernetes version %q: want 1.MINOR", s)
		}
	}
	return Version{Major: major, Minor: minor}, nil
}

// Latest is the newest Kubernetes minor release kubegate knows.
func Latest() Version { return Version{Major: 1, Minor: 37} }
