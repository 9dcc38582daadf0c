"""Table headers and page chrome of the national catalogue's scraped fields, shared by the parser tests."""

CH = "Hình thức nộpThời gianPhí, lệ phíMô tả"
DOC = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
LEG = "Tên văn bản pháp lýMã văn bản"
CHROME = (
    "Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành"
    "-- Chọn Tỉnh/ Thành phố --Phường/ XãSở-- Chọn Phường/ Xã --Hệ thống chỉ hiển thị những cơ quan "
    "đã áp dụng dịch vụ công trực tuyếnNộp hồ sơ"
)
