package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.com/notes/internal/notes"
)

func TestNotesLifecycle(t *testing.T) {
	r, _ := newTestRouter(t, t.TempDir())

	w := do(r, http.MethodGet, "/api/v1/notes", "")
	wantStatus(t, w, http.StatusOK)
	if got := w.Body.String(); got != `{"notes":[]}` {
		t.Errorf("empty list = %s, want {\"notes\":[]}", got)
	}

	w = do(r, http.MethodPost, "/api/v1/notes", `{"title":"Groceries","body":"milk, eggs"}`)
	wantStatus(t, w, http.StatusCreated)
	var created notes.Note
	if err := json.Unmarshal(w.Body.Bytes(), &created); err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || created.Title != "Groceries" || created.Body != "milk, eggs" || created.CreatedAt.IsZero() {
		t.Errorf("created = %+v", created)
	}
	if loc := w.Header().Get("Location"); loc != "/api/v1/notes/"+created.ID {
		t.Errorf("Location = %q", loc)
	}

	w = do(r, http.MethodGet, "/api/v1/notes/"+created.ID, "")
	wantStatus(t, w, http.StatusOK)
	var got notes.Note
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || !got.CreatedAt.Equal(created.CreatedAt) || got.ID != created.ID {
		t.Errorf("get = %+v, %v; want %+v", got, err, created)
	}

	w = do(r, http.MethodGet, "/api/v1/notes", "")
	var list struct{ Notes []notes.Note }
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil || len(list.Notes) != 1 || list.Notes[0].ID != created.ID {
		t.Errorf("list = %s", w.Body.String())
	}

	w = do(r, http.MethodDelete, "/api/v1/notes/"+created.ID, "")
	wantStatus(t, w, http.StatusNoContent)

	for _, method := range []string{http.MethodGet, http.MethodDelete} {
		w = do(r, method, "/api/v1/notes/"+created.ID, "")
		wantStatus(t, w, http.StatusNotFound)
		if got := w.Body.String(); got != `{"error":"note not found"}` {
			t.Errorf("%s after delete: body = %s", method, got)
		}
	}
}

func TestCreateNoteValidation(t *testing.T) {
	cases := []struct {
		name, body, wantErr string
	}{
		{"missing title", `{"body":"x"}`, "title is required"},
		{"empty title", `{"title":""}`, "title is required"},
		{"title too long", `{"title":"` + strings.Repeat("a", 101) + `"}`, "title must be at most 100 characters"},
		{"body too long", `{"title":"t","body":"` + strings.Repeat("b", 2001) + `"}`, "body must be at most 2000 characters"},
		{"both wrong", `{"body":"` + strings.Repeat("b", 2001) + `"}`, "title is required; body must be at most 2000 characters"},
		{"not JSON", `title=x`, "request body must be a JSON object"},
		{"wrong type", `{"title":5}`, "request body must be a JSON object"},
		{"empty body", ``, "got an empty body"},
		{"huge body", `{"title":"` + strings.Repeat("a", maxBodyBytes) + `"}`, "request body is larger than 65536 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			r, _ := newTestRouter(t, dir)
			w := do(r, http.MethodPost, "/api/v1/notes", c.body)
			wantStatus(t, w, http.StatusBadRequest)
			if msg, _ := decode(t, w)["error"].(string); !strings.Contains(msg, c.wantErr) {
				t.Errorf("error = %q, want it to contain %q", msg, c.wantErr)
			}
			if _, err := os.Stat(filepath.Join(dir, "notes")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("an invalid note reached the disk (stat: %v)", err)
			}
		})
	}
}

func TestCreateNoteLimitsCountCharactersNotBytes(t *testing.T) {
	r, _ := newTestRouter(t, t.TempDir())
	title := strings.Repeat("é", 100) // 200 bytes, 100 characters
	w := do(r, http.MethodPost, "/api/v1/notes", `{"title":"`+title+`"}`)
	wantStatus(t, w, http.StatusCreated)
}

func TestCreateNoteWriteFailureIs500AndLogged(t *testing.T) {
	// A file where the data directory should be: writes fail even for root.
	dataDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(dataDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r, logs := newTestRouter(t, dataDir)
	w := do(r, http.MethodPost, "/api/v1/notes", `{"title":"t"}`)
	wantStatus(t, w, http.StatusInternalServerError)
	if msg, _ := decode(t, w)["error"].(string); !strings.HasPrefix(msg, "cannot write note: ") {
		t.Errorf("error = %q, want \"cannot write note: ...\"", msg)
	}
	var logged bool
	for _, l := range logLines(t, logs.String()) {
		if l["level"] == "ERROR" && l["msg"] == "cannot write note" && l["error"] != nil {
			logged = true
		}
	}
	if !logged {
		t.Errorf("no ERROR \"cannot write note\" log line in:\n%s", logs.String())
	}
}

// failingStore fails every call, to reach the 500 paths of each handler.
type failingStore struct{}

var errDisk = errors.New("disk on fire")

func (failingStore) List(context.Context) ([]notes.Note, error)      { return nil, errDisk }
func (failingStore) Get(context.Context, string) (notes.Note, error) { return notes.Note{}, errDisk }
func (failingStore) Create(context.Context, string, string) (notes.Note, error) {
	return notes.Note{}, errDisk
}
func (failingStore) Delete(context.Context, string) error { return errDisk }

func TestStoreErrorsAre500WithAReason(t *testing.T) {
	r, _ := newTestRouterWithStore(t, t.TempDir(), failingStore{})
	cases := []struct{ method, path, body, want string }{
		{http.MethodGet, "/api/v1/notes", "", "cannot read notes: disk on fire"},
		{http.MethodGet, "/api/v1/notes/x", "", "cannot read note: disk on fire"},
		{http.MethodPost, "/api/v1/notes", `{"title":"t"}`, "cannot write note: disk on fire"},
		{http.MethodDelete, "/api/v1/notes/x", "", "cannot delete note: disk on fire"},
	}
	for _, c := range cases {
		w := do(r, c.method, c.path, c.body)
		wantStatus(t, w, http.StatusInternalServerError)
		if msg := decode(t, w)["error"]; msg != c.want {
			t.Errorf("%s %s: error = %v, want %q", c.method, c.path, msg, c.want)
		}
	}
}
