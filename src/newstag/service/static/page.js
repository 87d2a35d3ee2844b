// newstag's page works without this script; it adds the copy button and links each highlighted
// mention to its dot on the map. It reads text only through textContent and inserts no HTML.
"use strict";

function copyText(text, button) {
  const done = () => {
    button.classList.add("copied");
    button.textContent = "Copied";
    setTimeout(() => { button.classList.remove("copied"); button.textContent = "Copy"; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, () => {});
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  document.body.appendChild(area);
  area.select();
  try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selectable */ }
  area.remove();
}

function linkPlaces() {
  const byPlace = new Map();
  for (const el of document.querySelectorAll("[data-place]")) {
    const key = el.dataset.place;
    if (!byPlace.has(key)) byPlace.set(key, []);
    byPlace.get(key).push(el);
  }
  const toggle = (key, on) => { for (const el of byPlace.get(key) || []) el.classList.toggle("active", on); };
  for (const [key, els] of byPlace) {
    for (const el of els) {
      el.addEventListener("mouseenter", () => toggle(key, true));
      el.addEventListener("mouseleave", () => toggle(key, false));
      el.addEventListener("focus", () => toggle(key, true));
      el.addEventListener("blur", () => toggle(key, false));
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const target = document.getElementById(button.dataset.copy);
    if (!target) continue;
    button.hidden = false;
    button.addEventListener("click", () => copyText(target.textContent, button));
  }
  linkPlaces();
});
