package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"

	"example.com/notes/internal/notes"
)

// maxBodyBytes caps a request body well above the largest valid note.
const maxBodyBytes = 64 << 10

type notesHandler struct {
	store  notes.Store
	logger *slog.Logger
}

// createNoteRequest is the body of POST /api/v1/notes. gin validates the
// binding tags (go-playground/validator); max counts characters, not bytes.
type createNoteRequest struct {
	Title string `json:"title" binding:"required,max=100"`
	Body  string `json:"body" binding:"max=2000"`
}

func (h *notesHandler) list(c *gin.Context) {
	list, err := h.store.List(c.Request.Context())
	if err != nil {
		h.fail(c, "cannot read notes", err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"notes": list})
}

func (h *notesHandler) get(c *gin.Context) {
	n, err := h.store.Get(c.Request.Context(), c.Param("id"))
	if errors.Is(err, notes.ErrNotFound) {
		c.JSON(http.StatusNotFound, gin.H{"error": "note not found"})
		return
	}
	if err != nil {
		h.fail(c, "cannot read note", err)
		return
	}
	c.JSON(http.StatusOK, n)
}

func (h *notesHandler) create(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes)
	var req createNoteRequest
	if err := c.ShouldBindJSON(&req); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": describeBindError(err)})
		return
	}
	n, err := h.store.Create(c.Request.Context(), req.Title, req.Body)
	if err != nil {
		h.fail(c, "cannot write note", err)
		return
	}
	c.Header("Location", "/api/v1/notes/"+n.ID)
	c.JSON(http.StatusCreated, n)
}

func (h *notesHandler) delete(c *gin.Context) {
	err := h.store.Delete(c.Request.Context(), c.Param("id"))
	if errors.Is(err, notes.ErrNotFound) {
		c.JSON(http.StatusNotFound, gin.H{"error": "note not found"})
		return
	}
	if err != nil {
		h.fail(c, "cannot delete note", err)
		return
	}
	c.Status(http.StatusNoContent)
}

// fail answers 500 with what went wrong (for example "cannot write note:
// mkdir /data/notes: permission denied" on a volume the app user cannot
// write) and logs it.
func (h *notesHandler) fail(c *gin.Context, what string, err error) {
	h.logger.ErrorContext(c.Request.Context(), what, "error", err.Error(), "path", c.Request.URL.Path)
	c.JSON(http.StatusInternalServerError, gin.H{"error": what + ": " + err.Error()})
}

// describeBindError turns a binding error into a message for the client, such
// as "title is required" or "body must be at most 2000 characters".
func describeBindError(err error) string {
	var fieldErrs validator.ValidationErrors
	if errors.As(err, &fieldErrs) {
		msgs := make([]string, 0, len(fieldErrs))
		for _, fe := range fieldErrs {
			field := strings.ToLower(fe.Field())
			switch fe.Tag() {
			case "required":
				msgs = append(msgs, field+" is required")
			case "max":
				msgs = append(msgs, fmt.Sprintf("%s must be at most %s characters", field, fe.Param()))
			default:
				msgs = append(msgs, fmt.Sprintf("%s is invalid (%s)", field, fe.Tag()))
			}
		}
		return strings.Join(msgs, "; ")
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return fmt.Sprintf("request body is larger than %d bytes", tooLarge.Limit)
	}
	const want = `request body must be a JSON object like {"title":"...","body":"..."}`
	if errors.Is(err, io.EOF) {
		return want + ", got an empty body"
	}
	return want + ": " + err.Error()
}
