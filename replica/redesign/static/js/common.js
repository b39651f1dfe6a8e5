// 2023 template: header date, favourites, font size switch on article pages
function showToday() {
  var d = new Date(), w = "日一二三四五六";
  document.write("今天是" + d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日 星期" + w.charAt(d.getDay()));
}
function addFavorite() { try { window.external.addFavorite(location.href, document.title); } catch (e) { alert("请使用Ctrl+D收藏本站"); } }
function setHomepage() { alert("请在浏览器设置中将本站设为首页"); }
function checkSearch(form) {
  if (!form.searchword.value.replace(/^\s+|\s+$/g, "")) { alert("请输入关键字"); return false; }
  return true;
}
function setFont(size) {
  var box = document.getElementById("fontzoom");
  if (!box) { return; }
  var ps = box.getElementsByTagName("p");
  for (var i = 0; i < ps.length; i++) { ps[i].style.fontSize = size + "px"; }
}
