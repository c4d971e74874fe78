(function(){
  function relOff(){document.querySelectorAll('.hl-rel').forEach(function(n){n.classList.remove('hl-rel');});}
  function relOn(li){relOff();if(!li)return;(li.getAttribute('data-related')||'').split(' ').forEach(function(id){
    var n=id&&document.getElementById(id);if(n)n.classList.add('hl-rel');});}
  function onHash(){var id=decodeURIComponent(location.hash.slice(1));var n=id&&document.getElementById(id);
    relOn(n&&n.classList.contains('finding')?n:null);}
  window.addEventListener('hashchange',onHash);onHash();
  document.querySelectorAll('.finding[data-related]').forEach(function(li){
    li.addEventListener('mouseenter',function(){relOn(li);});li.addEventListener('mouseleave',onHash);});
  document.querySelectorAll('.filter input').forEach(function(box){box.addEventListener('change',function(){
    document.querySelectorAll('.finding.sev-'+box.value).forEach(function(li){li.classList.toggle('is-hidden',!box.checked);});});});
})();
