package rules

import (
	"context"
	"regexp"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// envSecretValue reports env values written into the spec that are
// secrets: by the variable's name or by the look of the value. It was the
// Rego policy kubegate.rules.env_secret_value, ported to Go for speed; it
// reports the same findings.
type envSecretValue struct{}

var envSecretValueMeta = engine.Meta{
	ID:    "env-secret-value",
	Title: "Secrets are not written into env values",
	Description: "A literal env value is part of the workload's spec: it is in the manifest's repository, " +
		"readable by everyone who may get the Deployment, and shown by kubectl describe. A variable whose " +
		"name says password, secret, token, API key, credentials or private key with a literal value, or " +
		"any value that looks like a credential (an AWS access key ID, a PEM private key, a GitHub, Slack " +
		"or Stripe token, a URL with a password), is reported. Names that only mention such a thing (for " +
		"example TOKEN_URL, SECRET_NAME, PASSWORD_FILE) are not. Matches kube-linter's env-var-secret and " +
		"Polaris' sensitiveContainerEnvVar.",
	Remediation: "Put the value in a Secret and reference it with valueFrom.secretKeyRef (or mount it as a file).",
	Severity:    engine.Warning,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("env-secret-value"),
}

// The patterns of the Rego policy, shared with configmap-secret-value.
// The policy matched each with regex.match, which is Go's regexp; here
// the hot ones are matched by hand (TestSecretPatterns checks them against
// the policy's patterns), and the others run only on the values that can
// match them.
var (
	// secretNameRE matches names that hold a secret, for the names
	// secretName does not match by hand.
	secretNameRE = regexp.MustCompile(`(?i)(passw(or)?d|passphrase|secret|token|api_?key|access_?key|private_?key|credentials?|auth_?key)`)
	// notASecretRE matches the suffixes that name something about a secret
	// instead, for the names notASecret does not match by hand.
	notASecretRE = regexp.MustCompile(`(?i)(_(url|uri|endpoint|host|name|file|path|dir|ref|id|type|ttl|expiry|length|header|enabled|mount)|_key_id)$`)
	// The branches of the policy's looks_secret, which matches values that
	// are credentials whatever their name, but for the URL with a password
	// (urlWithPassword).
	awsKeyRE      = regexp.MustCompile(`^(AKIA|ASIA)[0-9A-Z]{16}$`)
	privateKeyRE  = regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`)
	githubTokenRE = regexp.MustCompile(`^gh[pousr]_[A-Za-z0-9]{36,}$`)
	slackTokenRE  = regexp.MustCompile(`^xox[abpr]-[A-Za-z0-9-]{10,}`)
	stripeKeyRE   = regexp.MustCompile(`^sk_live_[A-Za-z0-9]{16,}`)
)

// The reasons of the policies' why(name, value).
const (
	reasonLooksSecret = "looks like a credential"
	reasonSecretName  = "its name says is a secret"
)

// looksSecret is the policy's regex.match(looks_secret, value): the value
// is a credential whatever its name. Each branch runs only on the values
// with its prefix or substring.
func looksSecret(value string) bool {
	switch {
	case strings.HasPrefix(value, "AKIA") || strings.HasPrefix(value, "ASIA"):
		if awsKeyRE.MatchString(value) {
			return true
		}
	case strings.HasPrefix(value, "gh"):
		if githubTokenRE.MatchString(value) {
			return true
		}
	case strings.HasPrefix(value, "xox"):
		if slackTokenRE.MatchString(value) {
			return true
		}
	case strings.HasPrefix(value, "sk_live_"):
		if stripeKeyRE.MatchString(value) {
			return true
		}
	}
	if strings.Contains(value, "-----BEGIN ") && privateKeyRE.MatchString(value) {
		return true
	}
	return urlWithPassword(value)
}

// urlWithPassword matches ://[^/:@]+:[^/@]+@ : after some "://", a user
// (up to the first '/', ':' or '@', which must be the ':') and a password
// (up to the first '/' or '@', which must be the '@'), neither empty.
func urlWithPassword(v string) bool {
	for {
		i := strings.Index(v, "://")
		if i < 0 {
			return false
		}
		v = v[i+3:]
		user := strings.IndexAny(v, "/:@")
		if user <= 0 || v[user] != ':' {
			continue
		}
		rest := v[user+1:]
		if pw := strings.IndexAny(rest, "/@"); pw > 0 && rest[pw] == '@' {
			return true
		}
	}
}

// The words of secretNameRE, lowercase, by their first letter.
var (
	secretWordsP = []string{"password", "passwd", "passphrase", "private_key", "privatekey"}
	secretWordsS = []string{"secret"}
	secretWordsT = []string{"token"}
	secretWordsA = []string{"api_key", "apikey", "access_key", "accesskey", "auth_key", "authkey"}
	secretWordsC = []string{"credential"}
)

// secretName is the policy's regex.match(secret_name, name): the name
// holds one of the words, in any case. An ASCII name is matched by hand
// (the case folding of (?i) maps ASCII letters only to ASCII letters but
// for k and s, whose other forms are not ASCII), any other by secretNameRE.
func secretName(name string) bool {
	var buf [64]byte
	if len(name) > len(buf) {
		return secretNameRE.MatchString(name)
	}
	b := buf[:len(name)]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 0x80 {
			return secretNameRE.MatchString(name)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	for i, c := range b {
		var words []string
		switch c {
		case 'p':
			words = secretWordsP
		case 's':
			words = secretWordsS
		case 't':
			words = secretWordsT
		case 'a':
			words = secretWordsA
		case 'c':
			words = secretWordsC
		default:
			continue
		}
		for _, w := range words {
			if len(b)-i >= len(w) && string(b[i:i+len(w)]) == w {
				return true
			}
		}
	}
	return false
}

// notASecret is the policy's regex.match(not_a_secret, name): the name
// ends in _ and one of the words, in any case (_key_id ends in _id). The
// words hold no _, so the last _ starts the suffix; an ASCII suffix is
// matched by hand, any other by notASecretRE.
func notASecret(name string) bool {
	i := strings.LastIndexByte(name, '_')
	if i < 0 {
		return false
	}
	suffix := name[i+1:]
	var buf [8]byte
	if len(suffix) > len(buf) {
		return false // longer than every word
	}
	b := buf[:len(suffix)]
	for j := 0; j < len(suffix); j++ {
		c := suffix[j]
		if c >= 0x80 {
			return notASecretRE.MatchString(name)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[j] = c
	}
	switch string(b) {
	case "url", "uri", "endpoint", "host", "name", "file", "path", "dir", "ref", "id", "type", "ttl", "expiry", "length", "header", "enabled", "mount":
		return true
	}
	return false
}

// secretNamed is the second branch of why(name, value): the name says the
// value is a secret, is not about a secret, and the value is not a
// placeholder.
func secretNamed(name, value string) bool {
	return !secretPlaceholder(value) && secretName(name) && !notASecret(name)
}

// secretPlaceholder reports the values that are obviously not secrets:
// booleans and references to other variables.
func secretPlaceholder(v string) bool {
	switch v {
	case "true", "false", "yes", "no", "0", "1":
		return true
	}
	return strings.HasPrefix(v, "$(")
}

// Meta describes the rule.
func (envSecretValue) Meta() engine.Meta { return envSecretValueMeta }

// Check reports each env entry of a container or init container with a
// non-empty literal value that is a secret, at its value.
func (envSecretValue) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range pod.Containers() {
		for at, e := range rawItems(c.M["env"]) {
			m, ok := e.(map[string]any)
			if !ok {
				continue
			}
			value, _ := m["value"].(string)
			if value == "" {
				continue
			}
			// The policy passes e.name to why(): without the key there is no
			// finding, even for a value that looks like a credential.
			name, ok := m["name"]
			if !ok {
				continue
			}
			reason := reasonLooksSecret
			if !looksSecret(value) {
				s, ok := name.(string)
				if !ok || !secretNamed(s, value) {
					continue
				}
				reason = reasonSecretName
			}
			p := append(c.Path.Child("env"), at, engine.PathElem{Key: "value"})
			out = append(out, engine.NewFinding(envSecretValueMeta, p,
				"container %q sets %s to a literal value that %s; it is readable by anyone who can read the workload",
				containerNameArg(c), regoArg(name), reason))
		}
	}
	return out, nil
}

// Helpers that read raw values the way the Rego policies did, for this
// rule, configmap-secret-value, env-duplicate and host-path.

// elemArg is a path element as the Rego policy's sprintf sees it: an index
// (a number, which OPA passes as an int64) or a key.
func elemArg(e engine.PathElem) any {
	if e.IsIndex {
		return int64(e.Index)
	}
	return e.Key
}
