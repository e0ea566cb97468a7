// The focal point of a photo, set by clicking its subject on the photo's change form.
// The two number fields stay the source of truth (and the keyboard's way to set it); the
// marker follows them. Positions are fractions of the picture: 0 left/top, 1 right/bottom.
(function () {
  'use strict';

  function setUp(picker) {
    const image = picker.querySelector('img');
    const marker = picker.querySelector('.focal-point-marker');
    const inputX = document.getElementById(picker.dataset.xInput);
    const inputY = document.getElementById(picker.dataset.yInput);
    if (!image || !marker || !inputX || !inputY) {
      return;
    }

    function fraction(value) {
      const number = parseFloat(value);
      return Number.isFinite(number) ? Math.min(Math.max(number, 0), 1) : 0.5;
    }

    function place() {
      // Styles set through the CSSOM: allowed by the site's Content-Security-Policy.
      marker.style.left = (fraction(inputX.value) * 100) + '%';
      marker.style.top = (fraction(inputY.value) * 100) + '%';
      marker.hidden = false;
    }

    image.addEventListener('click', function (event) {
      const box = image.getBoundingClientRect();
      if (!box.width || !box.height) {
        return;
      }
      inputX.value = fraction((event.clientX - box.left) / box.width).toFixed(3);
      inputY.value = fraction((event.clientY - box.top) / box.height).toFixed(3);
      place();
    });
    inputX.addEventListener('input', place);
    inputY.addEventListener('input', place);
    place();
  }

  function start() {
    document.querySelectorAll('.focal-point').forEach(setUp);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
