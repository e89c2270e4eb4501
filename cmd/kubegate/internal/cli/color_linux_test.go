package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// openPTY opens a pseudo-terminal with the Linux ioctls, so the colour
// decision can be tested against a real terminal without a dependency.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { _ = m.Close() })
	ioctl := func(req uintptr, arg unsafe.Pointer) error {
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, m.Fd(), req, uintptr(arg)); errno != 0 {
			return errno
		}
		return nil
	}
	var unlock int32
	if err := ioctl(syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err != nil {
		t.Skipf("unlock pseudo-terminal: %v", err)
	}
	var n uint32
	if err := ioctl(syscall.TIOCGPTN, unsafe.Pointer(&n)); err != nil {
		t.Skipf("pseudo-terminal number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pseudo-terminal: %v", err)
	}
	return m, s
}

func TestColorOnlyOnATerminal(t *testing.T) {
	repoRoot(t)
	tests := []struct {
		name      string
		args      []string
		noColor   string // NO_COLOR
		wantColor bool
	}{
		{name: "terminal", args: []string{"lint", "testdata/examples/worker.yaml"}, wantColor: true},
		{name: "--no-color", args: []string{"lint", "--no-color", "testdata/examples/worker.yaml"}},
		{name: "NO_COLOR", args: []string{"lint", "testdata/examples/worker.yaml"}, noColor: "1"},
		{name: "json", args: []string{"lint", "-o", "json", "testdata/examples/worker.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("NO_COLOR", tt.noColor)
			master, tty := openPTY(t)
			var got bytes.Buffer
			done := make(chan struct{})
			go func() {
				defer close(done)
				// Reading the master ends with EIO once the terminal side
				// is closed.
				_, _ = io.Copy(&got, master)
			}()
			var errOut bytes.Buffer
			code := RunIO(context.Background(), tt.args, IO{In: strings.NewReader(""), Out: tty, Err: &errOut})
			_ = tty.Close()
			<-done
			if code != ExitFindings {
				t.Errorf("exit code = %d, want %d; stderr: %s", code, ExitFindings, errOut.String())
			}
			if !strings.Contains(got.String(), "worker.yaml") {
				t.Fatalf("no report on the terminal: %q", got.String())
			}
			if has := strings.Contains(got.String(), "\x1b["); has != tt.wantColor {
				t.Errorf("colour codes = %v, want %v:\n%q", has, tt.wantColor, got.String())
			}
		})
	}
}
