/* Comfort only: the board works without this file. Dragging a card to a column, or pressing
   the left or right arrow key on a focused card, fills in that card's own move form with the
   new stage and opens it; the person writes the decision note and submits the same form. */
(function () {
  "use strict";

  function prepare(card, stage) {
    var form = card.querySelector(".move-form");
    if (!form) { return; }
    var select = form.querySelector("select[name$='to_stage']");
    var allowed = select && Array.prototype.some.call(select.options, function (option) {
      return option.value === stage;
    });
    var details = card.querySelector("details");
    if (details) { details.open = true; }
    if (allowed) {
      select.value = stage;
      var note = form.querySelector("textarea[name$='note']");
      (note || select).focus();
    } else if (select) {
      select.focus();
    }
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
      if (column !== dragged.parentNode) {
        column.appendChild(dragged);
        prepare(dragged, column.getAttribute("data-stage"));
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
      prepare(card, next);
    });
  });
}());
