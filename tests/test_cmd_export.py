from tests.conftest import run


def test_export_text_reads_in_order():
    r = run("export", "--format", "text")
    assert r.exit_code == 0, r.output
    text = r.stdout
    # source lines 3, 7, 13, 15, 99, 103, 105, 107, 109 + 111 (tests/fixtures/notice-source.txt)
    order = ["中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报", "根据省委统一部署",
             "一、关于学习贯彻", "(一)健全完善", "十四、关于对宁波市委", "(二)严格资金存款监管", "下一步", "欢迎广大干部群众",
             "中共宁波前湾新区工作委员会\n\n202248"]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)


def test_export_text_leaves_out_the_page_chrome():
    # the site's masthead (source line 1), the date line (line 5) and the share widget (113-114)
    # are the page's, not the notice's
    text = run("export", "--format", "text").stdout
    assert text.startswith("中共宁波前湾新区工作委员会关于十四届省委第十二轮巡视整改进展情况的通报\n\n  根据省委统一部署")
    for chrome in ("中共浙江省纪律检查委员会 浙江省监察委员会", "2022-04-08 10:00", "浙江省纪委省监委网站", "分享到", "^"):
        assert chrome not in text
    assert text.endswith("\n\n202248\n")


def test_export_is_the_default_format():
    assert run("export").stdout == run("export", "--format", "text").stdout


def test_bad_format_is_a_usage_error():
    r = run("export", "--format", "docx")
    assert r.exit_code == 2 and r.stdout == "" and r.stderr.count("\n") == 1
