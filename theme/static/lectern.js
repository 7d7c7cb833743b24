// lectern: small enhancements; every page reads and navigates without this file.
(function () {
  "use strict";
  var root = document.documentElement;
  try {
    if (localStorage.getItem("lectern-pinyin") === "on") root.classList.add("pinyin-on");
  } catch (e) { /* storage may be disabled */ }
})();
