/* Partial page updates: the few htmx attributes the portal's templates use, in 2 KB instead of
 * htmx's 15 KB (issue 21's page budgets). Without this script every link and form still works
 * as a whole page.
 *
 * hx-get / hx-post      the request (a form: on submit, with its fields; anything else: on click)
 * hx-target             "#id", "closest <selector>" or (absent) the element itself
 * hx-swap               outerHTML (the only swap the templates use)
 * hx-vals               JSON added to the request's fields
 * hx-confirm            asked first; "Cancel" sends nothing
 * hx-headers            JSON request headers, from the element or an ancestor (the CSRF token)
 * hx-trigger            "every Ns": polls while the element is on the page
 *
 * As htmx does: requests carry "HX-Request: true"; 2xx answers and the validation, conflict and
 * locked answers (400, 409, 422, which carry the form again) are swapped in; 204 and other
 * errors are not; an "HX-Redirect" header opens that page; the element carries the class
 * "htmx-request" meanwhile, a field marked autofocus in what came back gets the cursor, and
 * "htmx:afterSettle" is fired on what was swapped in.
 */
(function () {
  "use strict";

  var SWAPPED = /^(2\d\d|400|409|422)$/;

  function closestValue(element, name) {
    var holder = element.closest("[" + name + "]");
    return holder ? holder.getAttribute(name) : null;
  }

  function targetOf(element) {
    var spec = element.getAttribute("hx-target");
    if (!spec) {
      return element;
    }
    if (spec.indexOf("closest ") === 0) {
      return element.closest(spec.slice(8));
    }
    return document.querySelector(spec);
  }

  function fire(element, name, detail) {
    element.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: detail || {} }));
  }

  function swap(target, html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var swappedIn = Array.prototype.filter.call(template.content.childNodes, function (node) {
      return node.nodeType === 1;
    });
    target.replaceWith(template.content);
    // As htmx does: a field marked autofocus in what came back gets the cursor (the next
    // field after an add, the first field of a row's edit form).
    swappedIn.some(function (element) {
      var field = element.matches("[autofocus]") ? element : element.querySelector("[autofocus]");
      if (field) {
        field.focus();
      }
      return Boolean(field);
    });
    swappedIn.forEach(function (element) {
      startPolling(element);
      fire(element, "htmx:afterSettle");
    });
  }

  function send(element, method, url, fields) {
    var question = element.getAttribute("hx-confirm");
    if (question && !window.confirm(question)) {
      return;
    }
    var target = targetOf(element);
    var headers = { "HX-Request": "true" };
    var extra = closestValue(element, "hx-headers");
    if (extra) {
      Object.assign(headers, JSON.parse(extra));
    }
    var vals = element.getAttribute("hx-vals");
    if (vals) {
      var parsed = JSON.parse(vals);
      Object.keys(parsed).forEach(function (key) { fields.append(key, parsed[key]); });
    }
    var options = { method: method, headers: headers, credentials: "same-origin" };
    if (method === "GET") {
      var query = new URLSearchParams(fields).toString();
      url += query ? (url.indexOf("?") < 0 ? "?" : "&") + query : "";
    } else {
      options.body = fields;
    }
    element.classList.add("htmx-request");
    return fetch(url, options).then(function (response) {
      var redirect = response.headers.get("HX-Redirect");
      if (redirect) {
        window.location.assign(redirect);
        return;
      }
      if (!SWAPPED.test(String(response.status)) || response.status === 204 || !target) {
        if (!response.ok) {
          fire(element, "htmx:responseError", { status: response.status });
        }
        return;
      }
      return response.text().then(function (html) { swap(target, html); });
    }).catch(function (error) {
      fire(element, "htmx:sendError", { error: error });
    }).finally(function () {
      element.classList.remove("htmx-request");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var url = form.getAttribute("hx-post");
    if (!url || event.defaultPrevented) {
      return;
    }
    event.preventDefault();
    send(form, "POST", url, new FormData(form, event.submitter));
  });

  document.addEventListener("click", function (event) {
    var element = event.target.closest("[hx-get]:not(form), [hx-post]:not(form)");
    if (!element || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey
        || event.shiftKey) {
      return;
    }
    event.preventDefault();
    var post = element.getAttribute("hx-post");
    var form = element.closest("form");
    send(element, post ? "POST" : "GET", post || element.getAttribute("hx-get"),
         post && form ? new FormData(form) : new FormData());
  });

  function startPolling(root) {
    var candidates = [root].concat(Array.prototype.slice.call(root.querySelectorAll("[hx-trigger]")));
    candidates.forEach(function (element) {
      var every = /^every (\d+(?:\.\d+)?)s$/.exec(element.getAttribute("hx-trigger") || "");
      if (!every || !element.getAttribute("hx-get")) {
        return;
      }
      var poll = function () {
        if (element.isConnected) {  // once swapped out, its successor polls
          send(element, "GET", element.getAttribute("hx-get"), new FormData()).then(function () {
            window.setTimeout(poll, parseFloat(every[1]) * 1000);
          });
        }
      };
      window.setTimeout(poll, parseFloat(every[1]) * 1000);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { startPolling(document.body); });
  } else {
    startPolling(document.body);
  }
}());
