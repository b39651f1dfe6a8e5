// The CMS's script pager: writes 首页/上一页/下一页/尾页 links for a column's list pages.
function createPageHTML(pageCount, currentPage, prefix, suffix) {
  if (pageCount <= 1) { return; }
  function name(i) { return i === 0 ? prefix + "." + suffix : prefix + "_" + i + "." + suffix; }
  var html = '<a href="' + name(0) + '">首页</a> ';
  html += currentPage > 0 ? '<a href="' + name(currentPage - 1) + '">上一页</a> ' : '<span>上一页</span> ';
  html += currentPage < pageCount - 1 ? '<a href="' + name(currentPage + 1) + '">下一页</a> ' : '<span>下一页</span> ';
  html += '<a href="' + name(pageCount - 1) + '">尾页</a>';
  document.write(html);
}
