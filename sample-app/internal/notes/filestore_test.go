package notes

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFileStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	dataDir := t.TempDir()
	s := NewFileStore(dataDir)
	clock := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	s.Now = func() time.Time { clock = clock.Add(time.Second); return clock }

	list, err := s.List(ctx)
	if err != nil || len(list) != 0 {
		t.Fatalf("List on a fresh dir = %v, %v; want empty, nil", list, err)
	}

	a, err := s.Create(ctx, "first", "hello")
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	b, err := s.Create(ctx, "second", "")
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if !validID(a.ID) || a.ID == b.ID {
		t.Errorf("ids %q and %q: want two distinct 32-char hex ids", a.ID, b.ID)
	}
	info, err := os.Stat(filepath.Join(dataDir, "notes"))
	if err != nil || info.Mode().Perm() != 0o750 {
		t.Errorf("notes dir: %v, %v; want mode 0750", info, err)
	}

	if info, err := os.Stat(s.path(a.ID)); err != nil || info.Mode().Perm() != 0o640 {
		t.Errorf("note file: %v, %v; want mode 0640", info, err)
	}

	got, err := s.Get(ctx, a.ID)
	if err != nil || got != a {
		t.Errorf("Get = %+v, %v; want %+v", got, err, a)
	}
	list, err = s.List(ctx)
	if err != nil || len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID {
		t.Errorf("List = %+v, %v; want [first second]", list, err)
	}

	if err := s.Delete(ctx, a.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Get(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete: err = %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: err = %v, want ErrNotFound", err)
	}
}

func TestFileStoreRejectsIDsThatAreNotNoteIDs(t *testing.T) {
	s := NewFileStore(t.TempDir())
	for _, id := range []string{"", "..", "../../etc/passwd", "ABCDEF", strings.Repeat("g", 32)} {
		if _, err := s.Get(context.Background(), id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%q): err = %v, want ErrNotFound", id, err)
		}
	}
}

func TestFileStoreWriteFailure(t *testing.T) {
	// A regular file where the data directory should be makes every write fail,
	// even for root (which ignores permission bits).
	dataDir := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(dataDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := NewFileStore(dataDir).Create(context.Background(), "t", "b")
	if err == nil {
		t.Error("Create succeeded with a file as the data directory, want an error")
	}
}
