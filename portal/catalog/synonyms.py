"""Everyday Vietnamese words mapped to the official terms used in procedure names.

Plain data, read by :mod:`portal.catalog.search`. Keys and values are written the way people write them
(with diacritics); the search module folds case and diacritics itself, so ``"sổ đỏ"`` also matches a query
typed as ``"so do"``.

``SYNONYMS`` maps an everyday phrase to one or more official phrases. A query containing the everyday phrase
matches a procedure if the procedure contains *either* the words the citizen typed *or* all the words of one
of the official phrases (the best-scoring alternative counts). When a phrase is typed with diacritics, it is
only expanded if its diacritics agree with the key, so "sơ đồ" (diagram) is not read as "sổ đỏ". Keep keys
specific: a key that is a common word on its own ("nhà", "xe") would expand far too many queries.

``FILLER_WORDS`` are conversational words that citizens add to a query ("thủ tục làm hộ chiếu như thế nào")
but that rarely occur in a procedure's text. They still add to the score when present but are not required
to match. Multi-word phrases (e.g. "như thế nào") are matched as a whole.
"""

from __future__ import annotations

SYNONYMS: dict[str, tuple[str, ...]] = {
    # --- Land-use right certificate. Everyone calls it the red book ("sổ đỏ", "bìa đỏ") or, when it also
    # certifies ownership of the house, the pink book ("sổ hồng"). Official name: "Giấy chứng nhận quyền sử
    # dụng đất, quyền sở hữu tài sản gắn liền với đất".
    "sổ đỏ": ("giấy chứng nhận quyền sử dụng đất",),
    "bìa đỏ": ("giấy chứng nhận quyền sử dụng đất",),
    "sổ hồng": ("giấy chứng nhận quyền sử dụng đất", "quyền sở hữu nhà ở"),
    "bìa hồng": ("giấy chứng nhận quyền sử dụng đất", "quyền sở hữu nhà ở"),
    "sổ đất": ("giấy chứng nhận quyền sử dụng đất",),
    "sổ nhà đất": ("giấy chứng nhận quyền sử dụng đất",),
    # --- Land transactions and land use ("đất đai" is the official field name).
    "sang tên sổ đỏ": ("chuyển nhượng quyền sử dụng đất", "đăng ký biến động"),
    "sang tên đất": ("chuyển nhượng quyền sử dụng đất", "đăng ký biến động"),
    "mua bán đất": ("chuyển nhượng quyền sử dụng đất",),
    "lên thổ cư": ("chuyển mục đích sử dụng đất",),
    "đất thổ cư": ("đất ở",),
    "tách sổ": ("tách thửa",),
    "chia đất": ("tách thửa",),
    "nhà đất": ("đất đai",),
    "tranh chấp đất": ("tranh chấp đất đai",),
    # --- Building permit ("giấy phép xây dựng"); a private house is "nhà ở riêng lẻ" in the official names.
    "xây nhà": ("giấy phép xây dựng nhà ở riêng lẻ", "giấy phép xây dựng"),
    "phép xây nhà": ("giấy phép xây dựng nhà ở riêng lẻ", "giấy phép xây dựng"),
    "giấy phép xây nhà": ("giấy phép xây dựng nhà ở riêng lẻ", "giấy phép xây dựng"),
    "cất nhà": ("giấy phép xây dựng nhà ở riêng lẻ",),
    "sửa nhà": ("giấy phép xây dựng sửa chữa cải tạo",),
    # A bare "giấy phép xây dựng" is nearly always about a new house; rank those permits first.
    "giấy phép xây dựng": ("cấp giấy phép xây dựng mới nhà ở riêng lẻ", "giấy phép xây dựng nhà ở riêng lẻ"),
    # --- Passport and visa ("hộ chiếu phổ thông", "thị thực").
    "passport": ("hộ chiếu",),
    "hộ chiếu": ("cấp hộ chiếu",),  # a bare "hộ chiếu" means getting one: rank issuing first
    "làm hộ chiếu": ("cấp hộ chiếu",),
    "mất hộ chiếu": ("trình báo mất hộ chiếu",),
    "visa": ("thị thực",),
    # --- Criminal record certificate ("Phiếu lý lịch tư pháp").
    "lý lịch": ("lý lịch tư pháp",),
    "tiền án": ("lý lịch tư pháp",),
    "tiền sự": ("lý lịch tư pháp",),
    "không tiền án tiền sự": ("lý lịch tư pháp",),
    # --- Identity card: the "chứng minh nhân dân" and "căn cước công dân" were replaced by the "thẻ căn
    # cước" in 2024, but people still use the old names and abbreviations.
    "cccd": ("căn cước",),
    "cmnd": ("căn cước", "chứng minh nhân dân"),
    "chứng minh thư": ("căn cước", "chứng minh nhân dân"),
    "chứng minh nhân dân": ("căn cước",),
    "căn cước công dân": ("thẻ căn cước",),
    "làm căn cước": ("cấp thẻ căn cước",),
    "vneid": ("tài khoản định danh điện tử",),
    "định danh điện tử": ("tài khoản định danh điện tử",),
    # --- Residence: the household book ("hộ khẩu") was abolished; registration is now "thường trú"
    # (permanent) or "tạm trú" (temporary), and landlords report guests with "thông báo lưu trú".
    "hộ khẩu": ("đăng ký thường trú", "thường trú"),
    "nhập hộ khẩu": ("đăng ký thường trú",),
    "cắt khẩu": ("xóa đăng ký thường trú",),
    "cắt hộ khẩu": ("xóa đăng ký thường trú",),
    "chuyển hộ khẩu": ("đăng ký thường trú", "xóa đăng ký thường trú"),
    "sổ tạm trú": ("đăng ký tạm trú",),
    "kt3": ("đăng ký tạm trú",),
    "ở trọ": ("đăng ký tạm trú", "thông báo lưu trú"),
    "thuê trọ": ("đăng ký tạm trú", "thông báo lưu trú"),
    "khai báo ở trọ": ("đăng ký tạm trú", "thông báo lưu trú"),
    # --- Birth registration ("đăng ký khai sinh").
    "giấy khai sinh": ("đăng ký khai sinh",),
    "làm giấy khai sinh": ("đăng ký khai sinh",),
    "làm khai sinh": ("đăng ký khai sinh",),
    # --- Death registration ("đăng ký khai tử").
    "giấy chứng tử": ("đăng ký khai tử",),
    "chứng tử": ("đăng ký khai tử",),
    "báo tử": ("đăng ký khai tử",),
    # --- Marriage ("đăng ký kết hôn"), single-status certificate ("xác nhận tình trạng hôn nhân"), divorce.
    "giấy kết hôn": ("đăng ký kết hôn",),
    "giấy đăng ký kết hôn": ("đăng ký kết hôn",),
    "đăng ký cưới": ("đăng ký kết hôn",),
    "lấy vợ": ("đăng ký kết hôn",),
    "lấy chồng": ("đăng ký kết hôn",),
    "xác nhận độc thân": ("xác nhận tình trạng hôn nhân",),
    "giấy độc thân": ("xác nhận tình trạng hôn nhân",),
    "độc thân": ("tình trạng hôn nhân",),
    "ly dị": ("ly hôn",),
    # --- Other civil status: adoption, paternity, change of name.
    "xin con nuôi": ("nuôi con nuôi",),
    "nhận con nuôi": ("nuôi con nuôi",),
    "nhận con": ("nhận cha mẹ con",),
    "đổi tên": ("thay đổi cải chính bổ sung thông tin hộ tịch",),
    "sửa tên": ("thay đổi cải chính bổ sung thông tin hộ tịch",),
    "sửa giấy khai sinh": ("thay đổi cải chính bổ sung thông tin hộ tịch",),
    # --- Certified copies ("chứng thực bản sao từ bản chính").
    "sao y": ("chứng thực bản sao từ bản chính",),
    "sao y bản chính": ("chứng thực bản sao từ bản chính",),
    "photo công chứng": ("chứng thực bản sao từ bản chính",),
    "công chứng bản sao": ("chứng thực bản sao từ bản chính",),
    # --- Seals ("mẫu con dấu", "mẫu dấu"); "mộc" is the southern word for a stamp.
    "con dấu": ("mẫu con dấu", "mẫu dấu"),
    "khắc dấu": ("mẫu con dấu", "mẫu dấu"),
    "con mộc": ("mẫu con dấu", "mẫu dấu"),
    # --- Household business ("hộ kinh doanh") and companies.
    "kinh doanh cá thể": ("hộ kinh doanh",),
    "hộ cá thể": ("hộ kinh doanh",),
    "mở quán": ("đăng ký thành lập hộ kinh doanh",),
    "mở cửa hàng": ("đăng ký thành lập hộ kinh doanh",),
    "giấy phép kinh doanh": ("giấy chứng nhận đăng ký doanh nghiệp", "đăng ký thành lập hộ kinh doanh"),
    "mở công ty": ("đăng ký thành lập công ty", "đăng ký thành lập doanh nghiệp"),
    "lập công ty": ("đăng ký thành lập công ty", "đăng ký thành lập doanh nghiệp"),
    "thành lập công ty": ("đăng ký thành lập công ty", "đăng ký thành lập doanh nghiệp"),
    "mst": ("mã số thuế",),
    "tncn": ("thu nhập cá nhân",),
    # --- Driving licence ("giấy phép lái xe"); "bằng lái" is what everybody says.
    "bằng lái": ("giấy phép lái xe",),
    "bằng lái xe": ("giấy phép lái xe",),
    "gplx": ("giấy phép lái xe",),
    "đổi bằng lái": ("cấp lại giấy phép lái xe", "đổi giấy phép lái xe"),
    "thi bằng lái": ("sát hạch lái xe",),
    "học lái xe": ("đào tạo lái xe",),
    # --- Vehicle registration ("chứng nhận đăng ký xe"); "cà vẹt" comes from the French "carte verte".
    "cà vẹt": ("chứng nhận đăng ký xe",),
    "cavet": ("chứng nhận đăng ký xe",),
    "giấy đăng ký xe": ("chứng nhận đăng ký xe",),
    "biển số xe": ("biển số",),
    "mua bán xe": ("thay đổi chủ xe", "đăng ký sang tên xe"),
    # --- Social and health insurance abbreviations.
    "bhyt": ("bảo hiểm y tế",),
    "bhxh": ("bảo hiểm xã hội",),
    "thẻ bảo hiểm": ("thẻ bảo hiểm y tế",),
    # --- Abbreviations that official names use in both the long and the short form.
    "ubnd": ("ủy ban nhân dân",),
    "ủy ban nhân dân": ("ubnd",),
    "tnhh": ("trách nhiệm hữu hạn",),
    "trách nhiệm hữu hạn": ("tnhh",),
    "htx": ("hợp tác xã",),
    "pccc": ("phòng cháy chữa cháy",),
}

FILLER_WORDS: tuple[str, ...] = (
    # Words that introduce or frame a question, not the service itself.
    "thủ tục",
    "làm",
    "xin",
    "cách",
    "muốn",
    "cần",
    "tôi",
    "mình",
    "hướng dẫn",
    "hỏi",
    "giúp",
    # Question endings.
    "như thế nào",
    "thế nào",
    "ra sao",
    "ở đâu",
    "cần gì",
    "những gì",
    "bao lâu",
    "mất bao lâu",
    "ạ",
    "nhé",
)
