/* Duplicate hints while a resident types a title: comfort only, the form's "check before
   publishing" step shows the same list without JavaScript. */
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-similar-url]");
  var box = document.getElementById("similar-live");
  if (!form || !box || !window.fetch) {
    return;
  }
  var title = form.querySelector("[name=title]");
  var territory = form.querySelector("[name=territory]");
  var token = form.querySelector("[name=csrf_token]");
  var checked = form.querySelector("[name=checked]");
  var timer = null;
  var asked = "";

  function render(items) {
    box.textContent = "";
    if (!items.length) {
      box.hidden = true;
      return;
    }
    var heading = document.createElement("h2");
    heading.textContent = box.getAttribute("data-heading");
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var entry = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      entry.appendChild(link);
      entry.appendChild(document.createTextNode(" (" + item.supports_label + ") "));
      if (!item.support_url) { /* the resident's own: nothing to support */
        var yours = document.createElement("span");
        yours.className = "badge";
        yours.textContent = box.getAttribute("data-yours");
        entry.appendChild(yours);
        list.appendChild(entry);
        return;
      }
      var meToo = document.createElement("form");
      meToo.method = "post";
      meToo.action = item.support_url;
      meToo.className = "inline-form";
      if (token) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = "csrf_token";
        hidden.value = token.value;
        meToo.appendChild(hidden);
      }
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "button button-secondary button-small";
      button.textContent = box.getAttribute("data-me-too");
      meToo.appendChild(button);
      entry.appendChild(meToo);
      list.appendChild(entry);
    });
    box.appendChild(heading);
    box.appendChild(list);
    box.hidden = false;
    if (checked) {
      checked.value = "1"; /* seen while typing: no second look before publishing */
    }
  }

  function ask() {
    var words = title.value.trim();
    var key = words + "|" + (territory ? territory.value : "");
    if (words.length < 4 || key === asked) {
      return;
    }
    asked = key;
    var url = form.getAttribute("data-similar-url") + "?title=" + encodeURIComponent(words) +
      (territory && territory.value ? "&territory=" + encodeURIComponent(territory.value) : "");
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : {items: []}; })
      .then(function (data) { render(data.items || []); })
      .catch(function () { /* hints are a comfort: nothing to say */ });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 350);
  }

  title.addEventListener("input", later);
  if (territory) {
    territory.addEventListener("change", later);
  }
});
