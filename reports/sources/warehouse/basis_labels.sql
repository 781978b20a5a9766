-- Japanese labels of the input_basis codes every rpt_ row carries.
select * from (
    values
        ('official', '公式', 1),
        ('official_proxy', '公式（代替指標）', 2),
        ('mixed', '公式＋サンプル', 3),
        ('sample', 'サンプル（生成）', 4),
        ('incomplete', '一部欠損', 5)
) as labels (input_basis, input_basis_ja, sort_order)
