/* app.js: small progressive enhancements; every page works without it. */
(function () {
	'use strict';

	/* Ask before actions that cannot be undone from the same page. */
	document.addEventListener('submit', function (e) {
		var f = e.target;
		var b = f.querySelector('.btn-danger');
		if (b && !window.confirm('确定要' + b.textContent.trim() + '吗？'))
			e.preventDefault();
	}, true);

	/* In a village/group pair, show only the chosen village's groups. */
	var v = document.querySelector('select[name="village_id"]');
	var g = document.querySelector('select[name="group_id"]');
	if (v && g) {
		var sync = function () {
			var name = v.options[v.selectedIndex] ?
			    v.options[v.selectedIndex].text : '';
			var groups = g.querySelectorAll('optgroup');
			for (var i = 0; i < groups.length; i++) {
				var show = !v.value || groups[i].label === name;
				groups[i].hidden = !show;
				groups[i].disabled = !show;
			}
			var sel = g.options[g.selectedIndex];
			if (sel && sel.parentNode.disabled)
				g.value = '';
		};
		v.addEventListener('change', sync);
		sync();
	}
})();
