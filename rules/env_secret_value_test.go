package rules

import (
	"regexp"
	"testing"
)

// The patterns of the Rego policy env_secret_value, which looksSecret,
// secretName and notASecret match by hand.
var (
	policySecretName  = regexp.MustCompile(`(?i)(passw(or)?d|passphrase|secret|token|api_?key|access_?key|private_?key|credentials?|auth_?key)`)
	policyNotASecret  = regexp.MustCompile(`(?i)(_(url|uri|endpoint|host|name|file|path|dir|ref|id|type|ttl|expiry|length|header|enabled|mount)|_key_id)$`)
	policyLooksSecret = regexp.MustCompile(`^(AKIA|ASIA)[0-9A-Z]{16}$|-----BEGIN [A-Z ]*PRIVATE KEY-----|^gh[pousr]_[A-Za-z0-9]{36,}$|^xox[abpr]-[A-Za-z0-9-]{10,}|^sk_live_[A-Za-z0-9]{16,}|://[^/:@]+:[^/@]+@`)
)

var secretPatternSeeds = []string{
	"", "info", "hunter2", "LOG_LEVEL", "DB_PASSWORD", "db_passwd", "PassPhrase", "MY_SECRET", "githubToken",
	"API_KEY", "apikey", "api-key", "ACCESS_KEY", "accesskey", "PRIVATE_KEY", "privatekey", "CREDENTIALS",
	"credential", "AUTH_KEY", "authkey", "auth-key", "TOKEN_URL", "pass_word", "PASSWOR", "secre", "toke",
	"API_\u212aEY", "\u017fecret", "tö ken", "tokén", "SOME_VERY_LONG_VARIABLE_NAME_THAT_GOES_ON_AND_ON_PAST_64_BYTES_TOKEN",
	"SOME_VERY_LONG_VARIABLE_NAME_THAT_GOES_ON_AND_ON_PAST_64_BYTES_NONE", "\xff\xfetoken", "p", "pa", "passw",
	"AKIAIOSFODNN7EXAMPLE", "ASIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPLEX", "akiaIOSFODNN7EXAMPLE",
	"AKIAIOSFODNN7EXAMPLE\n", "x AKIAIOSFODNN7EXAMPLE", "AKIAiOSFODNN7EXAMPLE",
	"-----BEGIN RSA PRIVATE KEY-----", "x-----BEGIN PRIVATE KEY-----y", "-----BEGIN PRIVATE KEY----", "-----BEGIN  PRIVATE KEY-----",
	"-----BEGIN rsa PRIVATE KEY-----", "-----BEGIN CERTIFICATE----- -----BEGIN EC PRIVATE KEY-----",
	"ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz012345678", "gho_abcdefghijklmnopqrstuvwxyz0123456789X",
	"ghx_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz012345678-", "ghcr.io/org/image:1",
	"xoxb-1234567890", "xoxb-123456789", "xoxp-12345-67890-abc!", "xoxc-1234567890", "xox",
	"sk_live_abcdefghijklmnop", "sk_live_abcdefghijklmno", "sk_live_abcdefghijklmnop!", "sk_test_abcdefghijklmnop",
	"https://app:s3cr3t@upstream.example.com/", "https://auth.example.com/token", "postgres://db:5432/app",
	"postgres://app:s3cret@db:5432/app", "mysql://u:p@h/db", "://:p@h", "://u:@h", "://u:p", "://u/p:x@h", "://u:p/x@h",
	"a://b c://u:p@h", "http://u:p:q@h", "http://u@p:q@h", "http://u:p@", "://u\xff:p\xfe@h", "://é:ü@h", ":://u:p@h",
	"http:///u:p@h", "x://u:p://y@z",
	"TOKEN_URL", "SECRET_NAME", "PASSWORD_FILE", "AWS_ACCESS_KEY_ID", "AUTH_TOKEN_ENABLED", "db_password_FILE",
	"PASSPHRASE_Mount", "X_KEY_ID", "x_key_idx", "_id", "id", "x_", "x__url", "x_url_", "X_EXPIRY", "X_ENDPOINTS",
	"X_HOST\u017f", "X_HO\u017fT", "X_\u212aEY_ID", "X_URL\n", "X_LENGTHY", "X_ÉNABLED", "tokenurl", "a_b_Header",
}

func checkSecretPatterns(t *testing.T, s string) {
	if got, want := looksSecret(s), policyLooksSecret.MatchString(s); got != want {
		t.Errorf("looksSecret(%q) = %v; the policy's looks_secret says %v", s, got, want)
	}
	if got, want := secretName(s), policySecretName.MatchString(s); got != want {
		t.Errorf("secretName(%q) = %v; the policy's secret_name says %v", s, got, want)
	}
	if got, want := notASecret(s), policyNotASecret.MatchString(s); got != want {
		t.Errorf("notASecret(%q) = %v; the policy's not_a_secret says %v", s, got, want)
	}
}

// TestSecretPatterns checks the hand-made matchers against the policy's
// patterns.
func TestSecretPatterns(t *testing.T) {
	for _, s := range secretPatternSeeds {
		checkSecretPatterns(t, s)
	}
}

func FuzzSecretPatterns(f *testing.F) {
	for _, s := range secretPatternSeeds {
		f.Add(s)
	}
	f.Fuzz(checkSecretPatterns)
}
