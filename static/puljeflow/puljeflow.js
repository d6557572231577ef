// Forms that save themselves (marked data-autosave), safely with two tabs on one draft.
//
// What a save sends (the wire format; the server's side is core/autosave.py):
//   <field>=<value>   only the fields changed since this tab loaded or last saved them, as the
//                     form posts them (HTML names);
//   _fields=<field>   once per field sent: one named here but missing from the body was sent
//                     empty (an unticked checkbox, a multiple select with nothing chosen);
//   _base_<field>     the token of the value the tab started from (hidden inputs the page
//                     renders), so that the server writes a field only while what is stored is
//                     still that value;
//   csrfmiddlewaretoken.
// The answer's HX-Trigger header fires "puljeflow:saved" with {tokens: {field: token},
// conflicts: [field], errors: {field: {id, messages}}, prefix}: the fields saved now get their
// new base. A field in error is marked where it is typed, as Det Fælles Designsystem marks it
// (the group's "form-error", the message above the field, aria-invalid and aria-describedby), and
// a field sent without error is marked no more. A field someone else changed meanwhile keeps its
// old base and this tab's text, and the page shows the stored value beside the field with "Keep
// my text" (send mine again, on top of theirs) and "Use the saved text".
// When the page is hidden or closed, the changed fields are sent once more the same way
// (fetch with keepalive, else the browser's beacon), so nothing typed since the last save is lost.
(function () {
  "use strict";
  var BASE = "_base_";
  var NOT_FIELDS = { csrfmiddlewaretoken: true, _fields: true, _full_form: true };
  var EVENT = "puljeflow:saved";

  function each(list, callback) {
    Array.prototype.forEach.call(list, callback);
  }

  function isField(element) {
    var type = element.type;
    return (
      element.name &&
      !NOT_FIELDS[element.name] &&
      element.name.indexOf(BASE) !== 0 &&
      type !== "submit" &&
      type !== "button" &&
      type !== "reset" &&
      type !== "file"
    );
  }

  function fieldNames(form) {
    var names = [];
    each(form.elements, function (element) {
      if (isField(element) && names.indexOf(element.name) < 0) names.push(element.name);
    });
    return names;
  }

  function controls(form, name) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name === name;
    });
  }

  // The values of field `name` as the form posts them; with `rendered`, as the page was rendered.
  function read(form, name, rendered) {
    var values = [];
    controls(form, name).forEach(function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        if (rendered ? element.defaultChecked : element.checked) values.push(element.value);
      } else if (element.tagName === "SELECT") {
        var chosen = [];
        each(element.options, function (option) {
          if (rendered ? option.defaultSelected : option.selected) chosen.push(option.value);
        });
        if (rendered && !chosen.length && !element.multiple && element.options.length) {
          chosen.push(element.options[0].value); // a browser shows the first option
        }
        values = values.concat(chosen);
      } else {
        values.push(rendered ? element.defaultValue : element.value);
      }
    });
    return JSON.stringify(values);
  }

  function write(form, name, values) {
    controls(form, name).forEach(function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.indexOf(element.value) >= 0;
      } else if (element.tagName === "SELECT") {
        each(element.options, function (option) {
          option.selected = values.indexOf(option.value) >= 0;
        });
      } else {
        element.value = values.length ? values[0] : "";
      }
    });
  }

  // What this tab last saved (or loaded) of each field.
  function saved(form) {
    if (!form._autosaved) {
      form._autosaved = {};
      fieldNames(form).forEach(function (name) {
        form._autosaved[name] = read(form, name, true);
      });
    }
    return form._autosaved;
  }

  function changed(form) {
    var last = saved(form);
    return fieldNames(form).filter(function (name) {
      return read(form, name, false) !== last[name];
    });
  }

  function body(form, names) {
    var all = new FormData(form);
    var data = new FormData();
    var token = all.get("csrfmiddlewaretoken");
    if (token !== null) data.append("csrfmiddlewaretoken", token);
    form._autosending = {};
    names.forEach(function (name) {
      data.append("_fields", name);
      all.getAll(name).forEach(function (value) {
        data.append(name, value);
      });
      var base = form.elements.namedItem(BASE + name);
      if (base) data.append(BASE + name, base.value);
      form._autosending[name] = read(form, name, false);
    });
    return data;
  }

  function apply(form, detail) {
    var last = saved(form);
    var sending = form._autosending || {};
    var tokens = (detail && detail.tokens) || {};
    Object.keys(tokens).forEach(function (name) {
      var base = form.elements.namedItem(BASE + name);
      if (base) base.value = tokens[name];
      if (Object.prototype.hasOwnProperty.call(sending, name)) last[name] = sending[name];
    });
    form._autoconflicts = (detail && detail.conflicts) || [];
    // A notice stays only while the latest save still finds its conflict: every changed field is
    // sent on each save, so one the latest answer leaves out was resolved (a save that was under
    // way when the person chose a button must not leave its notice behind for good).
    var names = fieldNames(form);
    each(document.querySelectorAll("[data-autosave-conflict]"), function (notice) {
      var button = notice.querySelector("[data-autosave-keep]");
      var name = button && button.getAttribute("data-autosave-keep");
      if (name && names.indexOf(name) !== -1 && form._autoconflicts.indexOf(name) === -1) notice.remove();
    });
    markErrors(form, detail);
  }

  // Marking a field in error where it is typed ----------------------------------------------------

  function groupOf(element) {
    return element.closest(".form-group") || element.closest("td");
  }

  function errorTarget(form, name, id) {
    var element = id ? document.getElementById(id) : null;
    if (element && (form.contains(element) || element.form === form)) return element;
    return controls(form, name)[0] || null;
  }

  // The field's own error message: its text, ids and aria attributes, on (`messages`) or off.
  function setError(form, name, id, messages, prefix) {
    var element = errorTarget(form, name, id);
    if (!element) return;
    var group = groupOf(element);
    var errorId = (id || element.id) + "_error";
    var message = document.getElementById(errorId);
    if (messages) {
      if (!message) {
        message = document.createElement("span");
        message.className = "form-error-message";
        message.id = errorId;
        var before = element.parentElement && element.parentElement.classList.contains("form-group-checkbox")
          ? element.parentElement
          : element;
        before.parentNode.insertBefore(message, before);
      }
      message.textContent = "";
      var label = document.createElement("span");
      label.className = "sr-only";
      label.textContent = (prefix || "") + " ";
      message.appendChild(label);
      message.appendChild(document.createTextNode(messages.join(" ")));
    } else if (message) {
      message.remove();
    }
    if (group) group.classList.toggle("form-error", !!messages);
    var fieldset = group ? group.querySelector("fieldset") : null;
    (fieldset ? [fieldset] : controls(form, name)).forEach(function (described) {
      var ids = (described.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (other) {
        return other && other !== errorId;
      });
      if (messages) ids.push(errorId);
      if (ids.length) described.setAttribute("aria-describedby", ids.join(" "));
      else described.removeAttribute("aria-describedby");
    });
    controls(form, name).forEach(function (control) {
      if (messages) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
    });
  }

  function markErrors(form, detail) {
    var errors = (detail && detail.errors) || {};
    Object.keys(form._autosending || {}).forEach(function (name) {
      if (!errors[name]) {
        var control = controls(form, name)[0];
        // A choice of several (checkboxes, radios) is marked on the element that holds them.
        var wrapper = control && control.id ? document.getElementById(control.id.replace(/_\d+$/, "")) : null;
        var holds = wrapper && wrapper.tagName === "DIV" && wrapper.contains(control);
        setError(form, name, holds ? wrapper.id : control && control.id, null, "");
      }
    });
    Object.keys(errors).forEach(function (name) {
      setError(form, name, errors[name].id, errors[name].messages, detail.prefix);
    });
  }

  // A conflict's notice (core/_autosave_conflicts.html) goes beside its field, not far below it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var notices = event.target.querySelectorAll ? event.target.querySelectorAll("[data-autosave-conflict][data-field]") : [];
    each(notices, function (notice) {
      var field = document.getElementById(notice.getAttribute("data-field"));
      var group = field ? groupOf(field) : null;
      if (!group || group.contains(notice)) return;
      each(document.querySelectorAll('[data-autosave-conflict][data-field="' + notice.getAttribute("data-field") + '"]'), function (old) {
        if (old !== notice) old.remove();
      });
      group.parentNode.insertBefore(notice, group.nextSibling);
    });
  });

  function autosaveForm(element) {
    return element && element.closest ? element.closest("form[data-autosave]") : null;
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!form || !form.matches || !form.matches("form[data-autosave]")) return; // e.g. a row's delete button
    var names = changed(form);
    if (!names.length) {
      event.preventDefault(); // nothing to save
      return;
    }
    event.detail.parameters = body(form, names);
    // What this save sends, until its answer comes: a save made as the page is left meanwhile
    // says so (`_pending_`), so that the server knows the stored value as this tab's own.
    var all = new FormData(form);
    form._inflight = {};
    names.forEach(function (name) {
      form._inflight[name] = all.getAll(name);
    });
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = autosaveForm(event.detail && event.detail.elt);
    if (form) form._inflight = null;
  });

  document.addEventListener(EVENT, function (event) {
    var form = autosaveForm(event.target);
    if (form) apply(form, event.detail);
  });

  // "Keep my text" and "Use the saved text" beside a conflict.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-autosave-keep], [data-autosave-take]");
    if (!button) return;
    var name = button.getAttribute("data-autosave-keep") || button.getAttribute("data-autosave-take");
    var form = autosaveForm(button) || document.getElementById(button.getAttribute("data-autosave-form"));
    if (!form || !form.elements.namedItem(name)) {
      // The notice sits beside its field, outside any form: the form that holds the field.
      var holder = document.querySelector('form[data-autosave] [name="' + name + '"]');
      form = holder ? holder.form : form;
    }
    var base = form && form.elements.namedItem(BASE + name);
    if (!base) return;
    base.value = button.getAttribute("data-base");
    if (button.hasAttribute("data-autosave-take")) {
      write(form, name, JSON.parse(button.getAttribute("data-value")));
      saved(form)[name] = read(form, name, false);
    }
    form._autoconflicts = (form._autoconflicts || []).filter(function (other) {
      return other !== name;
    });
    var notice = button.closest("[data-autosave-conflict]");
    if (notice) notice.remove();
    var control = controls(form, name)[0];
    if (control && control.focus) control.focus();
    if (window.htmx) window.htmx.trigger(form, "change");
  });

  // Leaving with a text someone else's change kept from being saved: the browser asks first.
  window.addEventListener("beforeunload", function (event) {
    var unsaved = false;
    each(document.querySelectorAll("form[data-autosave]"), function (form) {
      if (form._autoconflicts && form._autoconflicts.length) unsaved = true;
    });
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  function flush(form) {
    var names = changed(form);
    var url = form.getAttribute("hx-post");
    if (!names.length || !url) return;
    var data = body(form, names);
    var inflight = form._inflight || {};
    Object.keys(inflight).forEach(function (name) {
      data.append("_pending_fields", name);
      inflight[name].forEach(function (value) {
        data.append("_pending_" + name, value);
      });
    });
    if (window.fetch) {
      window
        .fetch(url, {
          method: "POST",
          body: data,
          keepalive: true,
          credentials: "same-origin",
          headers: { "HX-Request": "true" },
        })
        .then(function (response) {
          var header = response.headers.get("HX-Trigger");
          var events = header && header.charAt(0) === "{" ? JSON.parse(header) : {};
          if (events[EVENT]) apply(form, events[EVENT]);
        })
        .catch(function () {});
    } else if (navigator.sendBeacon) {
      navigator.sendBeacon(url, data);
    }
  }

  function flushAll() {
    each(document.querySelectorAll("form[data-autosave]"), flush);
  }

  window.addEventListener("pagehide", flushAll);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flushAll();
  });
})();
