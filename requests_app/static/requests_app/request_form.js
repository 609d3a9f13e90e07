/* /requests/new/: two small helps on top of a form that works without them.
   1. While the postcode is typed, name its municipality (or say it is unknown) in a polite
      live region, from GET /api/geo/postcodes/<code>/.
   2. Hide the questions about someone else until "someone else" is chosen. */
(function () {
  "use strict";

  var output = document.getElementById("postcode-place");
  var postcode = document.getElementById("id_postcode");
  if (output && postcode) {
    var language = output.dataset.language || "fr";
    var asked = "";
    var check = function () {
      var code = postcode.value.trim();
      if (!/^\d{4}$/.test(code)) { asked = ""; output.textContent = ""; return; }
      if (code === asked) { return; }
      asked = code;
      fetch(output.dataset.lookup + encodeURIComponent(code) + "/", {
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        if (code !== asked) { return; }
        if (!response.ok) { output.textContent = output.dataset.unknown; return; }
        return response.json().then(function (place) {
          if (code !== asked) { return; }
          var names = (place.municipality && place.municipality.name) || {};
          var name = names[language] || names.fr || names.nl || "";
          output.textContent = output.dataset.found + " " + code + " " + name;
        });
      }).catch(function () { output.textContent = ""; });
    };
    postcode.addEventListener("input", check);
    check();
  }

  var about = document.getElementById("about-them");
  var choices = document.querySelectorAll('input[name="for_someone_else"]');
  if (about && choices.length) {
    var update = function () {
      var chosen = document.querySelector('input[name="for_someone_else"]:checked');
      about.hidden = !(chosen && chosen.value === "yes");
    };
    for (var index = 0; index < choices.length; index += 1) {
      choices[index].addEventListener("change", update);
    }
    update();
  }
})();
