/* The portal's question assistant on another site, with one tag:
 *   <script src="https://<portal>/static/js/faq-widget.js" defer></script>
 * It adds a button that opens the assistant (/hoi-dap/nhung/ of the same portal) in a frame below it; the frame
 * page is the only one of the portal that other sites may frame. Nothing is sent anywhere before the visitor asks. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var origin = new URL(script.src, document.baseURI).origin;
  var box = document.createElement("div");
  box.className = "dvc-faq-widget";
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = "Hỏi đáp thủ tục hành chính";
  button.setAttribute("aria-expanded", "false");
  var frame = null;
  button.addEventListener("click", function () {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = origin + "/hoi-dap/nhung/";
      frame.title = "Trợ lý hỏi đáp thủ tục hành chính";
      frame.style.width = "100%";
      frame.style.maxWidth = "32rem";
      frame.style.height = "32rem";
      frame.style.border = "1px solid #c9c9c9";
      frame.hidden = true;
      box.appendChild(frame);
    }
    frame.hidden = !frame.hidden;
    button.setAttribute("aria-expanded", String(!frame.hidden));
  });
  box.appendChild(button);
  script.parentNode.insertBefore(box, script.nextSibling);
})();
