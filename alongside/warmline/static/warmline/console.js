// The responder's console: the queue, live; and one conversation, live. Without this script
// every action is a form that posts and reloads the page.
(function () {
  "use strict";
  var queueRoot = document.getElementById("warmline-console");
  var talk = document.getElementById("warmline-conversation");
  if (!window.WebSocket || (!queueRoot && !talk)) return;
  var socketPath = (queueRoot || talk).dataset.socket;
  var socket = null;
  var retry = 500;
  var pending = {};
  var lastSeq = 0;
  var log = document.getElementById("warmline-log");
  var typingLine = document.getElementById("warmline-typing");
  var typingTimer = null;
  var lastTyping = 0;
  var contactId = talk ? talk.dataset.contact : null;

  if (log) {
    log.querySelectorAll("[data-seq]").forEach(function (item) {
      lastSeq = Math.max(lastSeq, parseInt(item.dataset.seq, 10));
    });
  }

  function send(data) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(data));
      return true;
    }
    return false;
  }
  function newId() {
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  }

  function renderQueue(contacts) {
    var box = document.getElementById("warmline-queue");
    var csrf = document.getElementById("warmline-csrf").value;
    var template = queueRoot.dataset.take;
    box.textContent = "";
    if (!contacts.length) {
      var none = document.createElement("p");
      none.textContent = queueRoot.dataset.empty || "Nobody is waiting.";
      box.appendChild(none);
      return;
    }
    var list = document.createElement("ol");
    list.className = "plain-list warmline-queue";
    contacts.forEach(function (c) {
      var item = document.createElement("li");
      item.className = "card";
      var label = document.createElement("strong");
      label.textContent = c.channel_label;
      item.appendChild(label);
      if (c.name) item.appendChild(document.createTextNode(": " + c.name));
      var form = document.createElement("form");
      form.method = "post";
      form.className = "inline-form";
      form.action = template.replace("00000000-0000-0000-0000-000000000000", c.contact);
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrf;
      form.appendChild(token);
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "button button--primary";
      button.textContent = queueRoot.dataset.answer || "Answer";
      form.appendChild(button);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(form);
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function addMessage(msg) {
    if (msg.seq <= lastSeq) return;
    if (msg.seq > lastSeq + 1) {
      send({ type: "join", contact: contactId, last_seq: lastSeq });
      return;
    }
    lastSeq = msg.seq;
    if (msg.id && pending[msg.id]) {
      pending[msg.id].classList.remove("warmline-msg--pending");
      pending[msg.id].dataset.seq = msg.seq;
      delete pending[msg.id];
      return;
    }
    var item = document.createElement("div");
    item.className = "warmline-msg warmline-msg--" + msg.sender;
    item.dataset.seq = msg.seq;
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = msg.sender + ": ";
    item.appendChild(who);
    if (msg.url) {
      var link = document.createElement("a");
      link.href = msg.url;
      link.textContent = msg.body;
      item.appendChild(link);
    } else {
      item.appendChild(document.createTextNode(msg.body));
    }
    log.appendChild(item);
    if (msg.sender === "visitor") typingLine.textContent = "";
  }

  // The queue as this page knows it: the whole of it when asked ("queue"), then who joins
  // ("queue_add") and who leaves ("queue_remove"); asked for again every half minute.
  var waiting = [];
  function handle(msg) {
    if (msg.type === "queue" && queueRoot) {
      waiting = msg.contacts;
      renderQueue(waiting);
    } else if (msg.type === "queue_add" && queueRoot) {
      if (!waiting.some(function (c) { return c.contact === msg.entry.contact; })) {
        waiting.push(msg.entry);
        renderQueue(waiting);
      }
    } else if (msg.type === "queue_remove" && queueRoot) {
      waiting = waiting.filter(function (c) { return c.contact !== msg.contact; });
      renderQueue(waiting);
    }
    if (msg.type === "message" && talk && msg.contact === contactId) addMessage(msg);
    else if (msg.type === "ack" && talk && pending[msg.id]) {
      if (msg.seq === lastSeq + 1) lastSeq = msg.seq;
      pending[msg.id].classList.remove("warmline-msg--pending");
      pending[msg.id].dataset.seq = msg.seq;
      delete pending[msg.id];
    }
    else if (msg.type === "typing" && talk) {
      typingLine.textContent = talk.dataset.typing || "The person is typing…";
      clearTimeout(typingTimer);
      typingTimer = setTimeout(function () {
        typingLine.textContent = "";
      }, 4000);
    } else if (msg.type === "ended" && talk) {
      typingLine.textContent = talk.dataset.ended || "The conversation has ended.";
    } else if (msg.type === "error" && talk) {
      typingLine.textContent = msg.message;
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + socketPath);
    socket.onopen = function () {
      retry = 500;
      if (queueRoot) send({ type: "queue" });
      if (talk) {
        send({ type: "join", contact: contactId, last_seq: lastSeq });
        Object.keys(pending).forEach(function (id) {
          send({ type: "message", contact: contactId, id: id, body: pending[id].dataset.body });
        });
      }
    };
    socket.onmessage = function (event) {
      handle(JSON.parse(event.data));
    };
    socket.onclose = function () {
      socket = null;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 8000);
    };
  }

  var form = document.getElementById("warmline-send");
  if (talk && form && talk.dataset.mine) {
    var body = form.elements.body;
    form.addEventListener("submit", function (event) {
      var text = body.value.trim();
      if (!text || !socket || socket.readyState !== WebSocket.OPEN) return; // the form posts
      event.preventDefault();
      var id = newId();
      var item = document.createElement("div");
      item.className = "warmline-msg warmline-msg--responder warmline-msg--pending";
      item.dataset.body = text;
      item.textContent = text;
      log.appendChild(item);
      pending[id] = item;
      send({ type: "message", contact: contactId, id: id, body: text });
      body.value = "";
      body.focus();
    });
    body.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTyping > 2000) {
        lastTyping = now;
        send({ type: "typing", contact: contactId });
      }
    });
  }
  connect();
  if (queueRoot) {
    setInterval(function () {
      send({ type: "queue" });
    }, 30000);
  }
})();
