// Package notes stores notes. Handlers depend on the Store interface, so they
// can be tested without touching the disk.
package notes

import (
	"context"
	"errors"
	"time"
)

// Note is a short text note.
type Note struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"createdAt"`
}

// ErrNotFound is returned when no note has the given id.
var ErrNotFound = errors.New("note not found")

// Store keeps notes.
type Store interface {
	List(ctx context.Context) ([]Note, error)
	Get(ctx context.Context, id string) (Note, error)
	Create(ctx context.Context, title, body string) (Note, error)
	Delete(ctx context.Context, id string) error
}
