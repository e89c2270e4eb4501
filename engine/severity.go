package engine

import (
	"fmt"
	"strings"
)

// Severity ranks a finding. The zero value is Info so that an unset severity
// never fails a run by accident.
type Severity int

// The severities, lowest first; comparisons such as s >= Warning rely on it.
const (
	Info Severity = iota
	Warning
	Error
)

// String returns the lowercase name used in every output format.
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	default:
		return fmt.Sprintf("severity(%d)", int(s))
	}
}

// ParseSeverity reads "info", "warning" or "error" (case-insensitive).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "info":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	default:
		return Info, fmt.Errorf("parse severity %q: want error, warning or info", s)
	}
}

// MarshalText makes a Severity encode as its name in JSON and YAML.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText is the inverse of MarshalText.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
