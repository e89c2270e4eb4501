package schema

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"net"
	"net/netip"
	"regexp"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
)

// formats are the string formats the Kubernetes OpenAPI documents and CRDs
// use, checked the way the API server's decoders and kube-openapi's format
// registry check them. A format the validator does not know is ignored, as
// the API server ignores it.
var formats = map[string]func(any) bool{
	"int32":         intRange(math.MinInt32, math.MaxInt32),
	"int64":         intRange(math.MinInt64, math.MaxInt64),
	"double":        func(any) bool { return true },
	"float":         func(any) bool { return true },
	"int-or-string": func(any) bool { return true },
	"quantity":      isQuantity,
	"byte":          isBase64,
	"date-time":     isDateTime,
	"date":          stringFormat(func(s string) bool { _, err := time.Parse(time.DateOnly, s); return err == nil }),
	"duration":      stringFormat(func(s string) bool { _, err := time.ParseDuration(s); return err == nil }),
	"uuid":          stringFormat(uuidRE.MatchString),
	"ipv4":          stringFormat(func(s string) bool { a, err := netip.ParseAddr(s); return err == nil && a.Is4() }),
	"ipv6":          stringFormat(func(s string) bool { a, err := netip.ParseAddr(s); return err == nil && a.Is6() }),
	"cidr":          stringFormat(func(s string) bool { _, _, err := net.ParseCIDR(s); return err == nil }),
	"mac":           stringFormat(func(s string) bool { _, err := net.ParseMAC(s); return err == nil }),
	"hostname":      stringFormat(func(s string) bool { return len(validation.IsDNS1123Subdomain(strings.ToLower(s))) == 0 }),
	"password":      func(any) bool { return true },
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$`)

// formatHint is said after "is not a valid FORMAT" to show what is.
var formatHint = map[string]string{
	"quantity":  " (such as 500m, 128Mi or 2)",
	"byte":      " (base64-encoded data)",
	"date-time": " (RFC 3339, such as 2024-01-02T15:04:05Z)",
	"date":      " (such as 2024-01-02)",
	"duration":  " (such as 30s or 1h30m)",
	"int32":     " (a 32-bit integer)",
	"int64":     " (a 64-bit integer)",
}

func stringFormat(ok func(string) bool) func(any) bool {
	return func(v any) bool {
		s, isString := v.(string)
		return !isString || ok(s)
	}
}

func intRange(lo, hi float64) func(any) bool {
	return func(v any) bool {
		switch n := v.(type) {
		case int64:
			return float64(n) >= lo && float64(n) <= hi
		case int:
			return float64(n) >= lo && float64(n) <= hi
		case float64:
			return n >= lo && n <= hi
		case json.Number:
			f, err := n.Float64()
			return err != nil || (f >= lo && f <= hi)
		}
		return true
	}
}

func isQuantity(v any) bool {
	s, ok := v.(string)
	if !ok {
		return true
	}
	_, err := resource.ParseQuantity(s)
	return err == nil
}

func isBase64(v any) bool {
	s, ok := v.(string)
	if !ok {
		return true
	}
	_, err := base64.StdEncoding.DecodeString(s)
	return err == nil
}

func isDateTime(v any) bool {
	s, ok := v.(string)
	if !ok {
		return true
	}
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}
