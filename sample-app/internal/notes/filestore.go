package notes

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// FileStore keeps one JSON file per note in Dir (for example /data/notes).
// Dir is created on the first write, so a fresh volume needs no setup beyond
// being writable by the user the service runs as.
type FileStore struct {
	Dir string
	Now func() time.Time // clock; time.Now when nil
}

// NewFileStore returns a store that keeps notes under dataDir/notes.
func NewFileStore(dataDir string) *FileStore {
	return &FileStore{Dir: filepath.Join(dataDir, "notes")}
}

// List returns all notes, oldest first. A missing directory means no notes yet.
func (s *FileStore) List(_ context.Context) ([]Note, error) {
	entries, err := os.ReadDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return []Note{}, nil
	}
	if err != nil {
		return nil, err
	}
	list := []Note{}
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !validID(id) {
			continue // temp files and anything else that is not a note
		}
		n, err := s.read(id)
		if err != nil {
			return nil, err
		}
		list = append(list, n)
	}
	slices.SortFunc(list, func(a, b Note) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return list, nil
}

// Get returns the note with the given id, or ErrNotFound.
func (s *FileStore) Get(_ context.Context, id string) (Note, error) {
	if !validID(id) {
		return Note{}, ErrNotFound
	}
	return s.read(id)
}

// Create stores a new note with a random id.
func (s *FileStore) Create(_ context.Context, title, body string) (Note, error) {
	id := newID()
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	n := Note{ID: id, Title: title, Body: body, CreatedAt: now().UTC()}
	data, err := json.MarshalIndent(n, "", "  ")
	if err != nil {
		return Note{}, err
	}
	if err := os.MkdirAll(s.Dir, 0o750); err != nil {
		return Note{}, err
	}
	if err := writeFileAtomic(s.path(id), data); err != nil {
		return Note{}, err
	}
	return n, nil
}

// Delete removes the note with the given id, or returns ErrNotFound.
func (s *FileStore) Delete(_ context.Context, id string) error {
	if !validID(id) {
		return ErrNotFound
	}
	err := os.Remove(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return ErrNotFound
	}
	return err
}

func (s *FileStore) read(id string) (Note, error) {
	data, err := os.ReadFile(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return Note{}, ErrNotFound
	}
	if err != nil {
		return Note{}, err
	}
	var n Note
	if err := json.Unmarshal(data, &n); err != nil {
		return Note{}, fmt.Errorf("%s: %w", s.path(id), err)
	}
	return n, nil
}

func (s *FileStore) path(id string) string {
	return filepath.Join(s.Dir, id+".json")
}

// writeFileAtomic writes to a temp file and renames it, so a crash or a full
// disk never leaves a half-written note behind.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	// CreateTemp makes the file 0600; 0640 matches the 0750 directory.
	if err := tmp.Chmod(0o640); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

const idBytes = 16

// newID returns 32 random hex characters. crypto/rand.Read never fails on
// supported platforms (it crashes the program instead), so there is no error.
func newID() string {
	b := make([]byte, idBytes)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// validID accepts only ids newID can produce, so a request can never name a
// file outside Dir.
func validID(id string) bool {
	if len(id) != 2*idBytes {
		return false
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
