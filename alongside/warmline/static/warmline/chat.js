// The warm line's chat for the person reaching out. Nothing is stored in the browser until
// they press start; then only the conversation's id, its resume token and the last message
// number, in this tab's sessionStorage, cleared when the chat ends.
// Delivery is at least once: every message carries its number (seq); one already shown is
// skipped, and a gap asks the server to send the missing ones again.
(function () {
  "use strict";
  var root = document.getElementById("warmline-chat");
  if (!root || !window.WebSocket) return;
  root.hidden = false;

  var KEY = "alongside-warmline";
  var startForm = document.getElementById("warmline-start");
  var conversation = document.getElementById("warmline-conversation");
  var statusLine = document.getElementById("warmline-status");
  var log = document.getElementById("warmline-log");
  var typingLine = document.getElementById("warmline-typing");
  var sendForm = document.getElementById("warmline-send");
  var body = document.getElementById("warmline-body");
  var endButton = document.getElementById("warmline-end");
  var endedBox = document.getElementById("warmline-ended");

  var state = null; // {contact, token, lastSeq}
  var pending = {}; // client id -> {body, item}
  var socket = null;
  var wantStart = null;
  var ended = false;
  var retry = 500;
  var typingTimer = null;
  var lastTyping = 0;

  function save() {
    if (state) sessionStorage.setItem(KEY, JSON.stringify(state));
  }
  function load() {
    try {
      return JSON.parse(sessionStorage.getItem(KEY) || "null");
    } catch (e) {
      return null;
    }
  }
  function newId() {
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
  }
  function secretId() {
    // The start's id: kept in memory only, it lets a start sent again after a dropped
    // connection find the conversation it began instead of queueing a second one.
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function notice(text) {
    var box = document.getElementById("warmline-limited");
    box.textContent = text;
    box.hidden = false;
  }
  function say(text) {
    statusLine.textContent = text;
  }
  function send(data) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(data));
      return true;
    }
    return false;
  }

  function who(sender) {
    if (sender === "visitor") return root.dataset.you || "You";
    if (sender === "responder") return root.dataset.peer || "Peer";
    return root.dataset.system || "Warm line";
  }

  function addItem(sender, text, url) {
    var item = document.createElement("div");
    item.className = "warmline-msg warmline-msg--" + sender;
    var label = document.createElement("span");
    label.className = "warmline-msg__who";
    label.textContent = who(sender) + ": ";
    item.appendChild(label);
    if (url) {
      var link = document.createElement("a");
      link.href = url;
      link.textContent = text;
      link.target = "_blank";
      link.rel = "noopener";
      item.appendChild(link);
    } else {
      item.appendChild(document.createTextNode(text));
    }
    log.appendChild(item);
    item.scrollIntoView({ block: "nearest" });
    return item;
  }

  function onMessage(msg) {
    if (!state || msg.seq <= state.lastSeq) return; // shown already
    if (msg.seq > state.lastSeq + 1) {
      // A gap: ask for everything after the last one shown.
      send({ type: "resume", contact: state.contact, token: state.token, last_seq: state.lastSeq });
      return;
    }
    var mine = msg.sender === "visitor" && msg.id && pending[msg.id];
    if (mine) {
      pending[msg.id].item.classList.remove("warmline-msg--pending");
      delete pending[msg.id];
    } else {
      addItem(msg.sender, msg.body, msg.url);
    }
    if (msg.sender === "responder") typingLine.textContent = "";
    state.lastSeq = msg.seq;
    save();
  }

  function finish() {
    ended = true;
    sessionStorage.removeItem(KEY);
    state = null;
    sendForm.hidden = true;
    endedBox.hidden = false;
    say(root.dataset.ended || "The chat has ended.");
    if (socket) socket.close();
  }

  function handle(msg) {
    switch (msg.type) {
      case "started":
        state = { contact: msg.contact, token: msg.token, lastSeq: 0 };
        save();
        startForm.hidden = true;
        conversation.hidden = false;
        body.focus();
        break;
      case "queue":
        say((root.dataset.queue || "You are number {n} in line. A peer will be with you soon.").replace("{n}", msg.position));
        break;
      case "taken":
        say(root.dataset.taken || "A peer is here with you.");
        break;
      case "message":
        onMessage(msg);
        break;
      case "ack":
        if (pending[msg.id]) {
          pending[msg.id].item.classList.remove("warmline-msg--pending");
          delete pending[msg.id];
        }
        if (state && msg.seq === state.lastSeq + 1) {
          state.lastSeq = msg.seq;
          save();
        }
        break;
      case "typing":
        typingLine.textContent = root.dataset.typing || "The peer is typing…";
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () {
          typingLine.textContent = "";
        }, 4000);
        break;
      case "ended":
        finish();
        break;
      case "closed":
        // Shown beside the start button: the conversation's own status line is still hidden.
        wantStart = null;
        notice(root.dataset.closed || "The warm line has just closed. Call or text 988 if you need someone now.");
        break;
      case "limited":
        wantStart = null; // not again by itself: the page tells them to call or text instead
        notice(root.dataset.limited || "Too many chats have started from your connection in the last hour. Call or text 988 if you need someone now.");
        break;
      case "error":
        say(msg.message);
        break;
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.socket);
    socket.onopen = function () {
      retry = 500;
      if (state) {
        send({ type: "resume", contact: state.contact, token: state.token, last_seq: state.lastSeq });
        Object.keys(pending).forEach(function (id) {
          send({ type: "message", id: id, body: pending[id].body });
        });
      } else if (wantStart) {
        send(wantStart);
      }
    };
    socket.onmessage = function (event) {
      handle(JSON.parse(event.data));
    };
    socket.onclose = function () {
      socket = null;
      if (ended || (!state && !wantStart)) return;
      say(root.dataset.reconnecting || "Connection lost. Reconnecting…");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 8000);
    };
  }

  startForm.addEventListener("submit", function (event) {
    event.preventDefault();
    wantStart = {
      type: "start",
      id: secretId(),
      name: startForm.elements.name.value,
      code: startForm.elements.code.value,
    };
    say("");
    if (!send(wantStart)) connect();
  });

  sendForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = body.value.trim();
    if (!text || !state) return;
    var id = newId();
    var item = addItem("visitor", text, "");
    item.classList.add("warmline-msg--pending");
    pending[id] = { body: text, item: item };
    send({ type: "message", id: id, body: text });
    body.value = "";
    body.focus();
  });

  body.addEventListener("input", function () {
    var now = Date.now();
    if (now - lastTyping > 2000) {
      lastTyping = now;
      send({ type: "typing" });
    }
  });

  endButton.addEventListener("click", function () {
    if (!send({ type: "end" })) finish();
  });

  // A reload or a dropped connection in this tab: pick the conversation up where it was.
  state = load();
  if (state) {
    state.lastSeq = 0; // the page is empty again: ask for the whole conversation
    startForm.hidden = true;
    conversation.hidden = false;
    connect();
  }
})();
