/* Comfort only: the board works without this file. Dragging a card to a column, or pressing
   the left or right arrow key on a focused card, fills in that card's own move form with the
   new stage and opens it; the person writes the decision note and submits the same form.
   A stage the lead cannot reach is refused with a message on the card, which stays put. */
(function () {
  "use strict";

  function allows(card, stage) {
    var select = card.querySelector(".move-form select[name$='to_stage']");
    return Boolean(select) && Array.prototype.some.call(select.options, function (option) {
      return option.value === stage;
    });
  }

  function say(text) {
    var status = document.getElementById("board-status");
    if (status) { status.textContent = text; }
  }

  /* A stage the lead cannot reach is refused where the person looks: on the card itself. */
  function refuse(card, column) {
    var board = card.closest(".board");
    var name = column.querySelector(".stage-name");
    var text = board.getAttribute("data-refused").replace("{stage}", name ? name.textContent : "");
    var note = card.querySelector(".move-refused");
    if (!note) {
      note = document.createElement("p");
      note.className = "move-refused";
      card.insertBefore(note, card.querySelector("details"));
    }
    note.textContent = text;
    say(text);
    card.focus();
  }

  function prepare(card, stage) {
    var form = card.querySelector(".move-form");
    if (!form) { return; }
    var note = card.querySelector(".move-refused");
    if (note) { note.parentNode.removeChild(note); }
    var details = card.querySelector("details");
    if (details) { details.open = true; }
    form.querySelector("select[name$='to_stage']").value = stage;
    (form.querySelector("textarea[name$='note']") || form).focus();
  }

  function columnStages() {
    return Array.prototype.map.call(document.querySelectorAll(".board-column"), function (column) {
      return column.getAttribute("data-stage");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var board = document.querySelector(".board");
    if (!board) { return; }
    var dragged = null;
    board.addEventListener("dragstart", function (event) {
      dragged = event.target.closest ? event.target.closest(".lead-card") : null;
      if (dragged && event.dataTransfer) {
        event.dataTransfer.setData("text/plain", dragged.getAttribute("data-lead"));
      }
    });
    board.addEventListener("dragover", function (event) {
      if (dragged && event.target.closest && event.target.closest(".board-column")) {
        event.preventDefault();
      }
    });
    board.addEventListener("drop", function (event) {
      var column = event.target.closest && event.target.closest(".board-column");
      if (!dragged || !column) { return; }
      event.preventDefault();
      var stage = column.getAttribute("data-stage");
      if (column !== dragged.parentNode) {
        if (allows(dragged, stage)) {
          column.appendChild(dragged);
          prepare(dragged, stage);
        } else {
          refuse(dragged, column);
        }
      }
      dragged = null;
    });
    board.addEventListener("keydown", function (event) {
      var card = event.target;
      if (!card.classList || !card.classList.contains("lead-card")) { return; }
      if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") { return; }
      var stages = columnStages();
      var index = stages.indexOf(card.getAttribute("data-stage"));
      var next = stages[index + (event.key === "ArrowRight" ? 1 : -1)];
      if (index < 0 || !next) { return; }
      event.preventDefault();
      if (allows(card, next)) {
        prepare(card, next);
      } else {
        refuse(card, document.querySelector('.board-column[data-stage="' + next + '"]'));
      }
    });
  });
}());
