#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Build data/categories.csv: the digital-urban-management catalog of
data/categories/reference.csv (components 部件 and events 事件, codes kept, prefixed C/E
by kind) plus the social-governance matters grid workers handle (prefix G), each with an
English name, a default department, handling limits (general / engineering / special, in
working hours, 8 per working day) a verification limit (minutes) and an urgency.

Run from the project root: python3 scripts/make_categories.py"""
import csv

MAJOR_EN = {
    ('部件', '01'): 'Public facilities', ('部件', '02'): 'Roads and traffic',
    ('部件', '03'): 'City appearance and environment', ('部件', '04'): 'Parks and greening',
    ('部件', '05'): 'Buildings and land', ('部件', '06'): 'Other facilities',
    ('事件', '01'): 'City appearance and environment', ('事件', '02'): 'Publicity and advertising',
    ('事件', '03'): 'Construction management', ('事件', '04'): 'Emergencies',
    ('事件', '05'): 'Street order',
}

# code: (English name, department, general h, engineering h, special h, verify min, urgency)
COVER = (6, 36, 72, 60, 'urgent')  # damaged covers: 6 h, 36 h where the site prevents it
ITEMS = {
    ('部件', '0101'): ('Water supply manhole cover', 'GS', 6, 24, 40, 60, 'urgent'),
    ('部件', '0102'): ('Sewage manhole cover', 'SW') + COVER,
    ('部件', '0103'): ('Storm drain manhole cover', 'SW') + COVER,
    ('部件', '0104'): ('Storm drain grate', 'SW') + COVER,
    ('部件', '0105'): ('Power manhole cover', 'GD') + COVER,
    ('部件', '0106'): ('Street-light manhole cover', 'SZ') + COVER,
    ('部件', '0107'): ('Telecom manhole cover', 'TX') + COVER,
    ('部件', '0108'): ('Cable TV manhole cover', 'TX') + COVER,
    ('部件', '0109'): ('Network manhole cover', 'TX') + COVER,
    ('部件', '0110'): ('Heating manhole cover', 'SZ') + COVER,
    ('部件', '0111'): ('Gas manhole cover', 'RQ') + COVER,
    ('部件', '0112'): ('Police manhole cover', 'GA') + COVER,
    ('部件', '0113'): ('Fire-fighting facility', 'XF', 4, 24, 72, 30, 'urgent'),
    ('部件', '0114'): ('Ownerless manhole cover', 'SZ') + COVER,
    ('部件', '0115'): ('Telecom junction box', 'TX'),
    ('部件', '0116'): ('Power facility', 'GD'),
    ('部件', '0117'): ('Utility pole', 'SZ'),
    ('部件', '0118'): ('Street light', 'SZ', 24, 48, 120, 60, 'normal'),
    ('部件', '0119'): ('Ground light', 'SZ'),
    ('部件', '0120'): ('Landscape light', 'SZ'),
    ('部件', '0121'): ('Newspaper kiosk', 'CGZF'),
    ('部件', '0122'): ('Telephone booth', 'TX'),
    ('部件', '0123'): ('Mailbox', 'TX'),
    ('部件', '0124'): ('Information kiosk', 'CGZF'),
    ('部件', '0125'): ('Vending machine', 'SCJG'),
    ('部件', '0126'): ('Fitness equipment', 'WL'),
    ('部件', '0127'): ('Reclaimed-water manhole cover', 'SW') + COVER,
    ('部件', '0128'): ('Bus-line manhole cover', 'JT') + COVER,
    ('部件', '0129'): ('Oil or gas pipeline manhole cover', 'RQ') + COVER,
    ('部件', '0130'): ('Special manhole cover', 'SZ') + COVER,
    ('部件', '0131'): ('Domestic water well', 'SW'),
    ('部件', '0132'): ('Water supply fixture', 'GS'),
    ('部件', '0133'): ('High-voltage pylon', 'GD'),
    ('部件', '0134'): ('Transformer box', 'GD'),
    ('部件', '0135'): ('Gas pressure regulator station', 'RQ', 4, 24, 72, 30, 'urgent'),
    ('部件', '0136'): ('Surveillance camera', 'GA'),
    ('部件', '0137'): ('Sales kiosk', 'CGZF'),
    ('部件', '0138'): ('Police post', 'GA'),
    ('部件', '0201'): ('Car park', 'JT'),
    ('部件', '0202'): ('Parking meter', 'JT'),
    ('部件', '0203'): ('Bus shelter', 'JT'),
    ('部件', '0204'): ('Taxi stand sign', 'JT'),
    ('部件', '0205'): ('Pedestrian overpass', 'SZ'),
    ('部件', '0206'): ('Pedestrian underpass', 'SZ'),
    ('部件', '0207'): ('Elevated interchange', 'SZ'),
    ('部件', '0208'): ('River bridge', 'SZ'),
    ('部件', '0209'): ('Traffic sign', 'JJ'),
    ('部件', '0210'): ('Traffic light', 'JJ', 4, 24, 72, 30, 'urgent'),
    ('部件', '0211'): ('Traffic barrier', 'JJ'),
    ('部件', '0212'): ('Bicycle rack', 'CGZF'),
    ('部件', '0213'): ('Street name sign', 'MZ'),
    ('部件', '0214'): ('Traffic signal equipment', 'JJ'),
    ('部件', '0215'): ('Road information display', 'JT'),
    ('部件', '0216'): ('Road noise barrier', 'SZ'),
    ('部件', '0217'): ('Traffic police booth', 'JJ'),
    ('部件', '0301'): ('Public toilet', 'HW', 8, 24, 72, 60, 'normal'),
    ('部件', '0302'): ('Septic tank', 'HW', 8, 24, 72, 60, 'urgent'),
    ('部件', '0303'): ('Public toilet sign', 'HW'),
    ('部件', '0304'): ('Refuse room', 'HW'),
    ('部件', '0305'): ('Litter bin', 'HW', 8, 24, 56, 60, 'normal'),
    ('部件', '0306'): ('Light box or neon sign', 'CGZF'),
    ('部件', '0307'): ('Billboard or shop sign', 'CGZF'),
    ('部件', '0308'): ('Environmental monitoring station', 'STHJ'),
    ('部件', '0309'): ('Weather monitoring station', 'YJ'),
    ('部件', '0310'): ('Sewage outlet monitoring station', 'STHJ'),
    ('部件', '0311'): ('Noise display', 'STHJ'),
    ('部件', '0401'): ('Ancient or famous tree', 'YL', 8, 40, 120, 60, 'urgent'),
    ('部件', '0402'): ('Street tree', 'YL'),
    ('部件', '0403'): ('Tree guard', 'YL'),
    ('部件', '0404'): ('Flower stand or planter', 'YL'),
    ('部件', '0405'): ('Green space', 'YL', 40, 80, 120, 120, 'normal'),  # 绿地养护 5 d
    ('部件', '0406'): ('Sculpture', 'WL'),
    ('部件', '0407'): ('Street bench', 'YL'),
    ('部件', '0408'): ('Green-space fence', 'YL'),
    ('部件', '0409'): ('Green-space maintenance facility', 'YL'),
    ('部件', '0410'): ('Fountain', 'YL'),
    ('部件', '0501'): ('Notice board', 'CGZF'),
    ('部件', '0502'): ('Civil air-defence works', 'ZJ'),
    ('部件', '0503'): ('Public-housing basement', 'ZJ'),
    ('部件', '0601'): ('Major hazard installation', 'YJ', 2, 8, 24, 30, 'emergency'),
    ('部件', '0602'): ('Construction site', 'ZJ'),
    ('部件', '0603'): ('Waterway facility', 'SW'),
    ('部件', '0604'): ('Waterside railing', 'SW'),
    ('部件', '0605'): ('Harbour supervision facility', 'JT'),
    ('部件', '0606'): ('Flood wall', 'SW', 8, 40, 120, 60, 'urgent'),
    ('事件', '0101'): ('Illegal construction', 'CGZF', 4, 56, 160, 60, 'urgent'),
    ('事件', '0102'): ('Exposed garbage', 'HW', 4, 8, 16, 60, 'normal'),
    ('事件', '0103'): ('Accumulated garbage or muck', 'HW', 16, 32, 40, 60, 'normal'),
    ('事件', '0104'): ('Dirty road', 'HW', 2, 5, 8, 30, 'normal'),
    ('事件', '0105'): ('Dirty waterway', 'SW', 120, 120, 160, 120, 'normal'),
    ('事件', '0106'): ('Untidy green space', 'YL', 4, 8, 24, 60, 'normal'),
    ('事件', '0107'): ('Abandoned vehicle', 'CGZF'),
    ('事件', '0108'): ('Abandoned furniture', 'HW'),
    ('事件', '0109'): ('Non-decorative objects hung on trees', 'YL'),
    ('事件', '0110'): ('Damaged road', 'SZ', 8, 40, 120, 60, 'urgent'),
    ('事件', '0111'): ('Damaged river embankment', 'SW', 8, 40, 120, 60, 'urgent'),
    ('事件', '0112'): ('Spillage on the road', 'HW', 2, 5, 8, 30, 'urgent'),
    ('事件', '0113'): ('Dirty building facade', 'CGZF'),
    ('事件', '0114'): ('Waterway disorder', 'SW'),
    ('事件', '0115'): ('Burning leaves or garbage', 'STHJ', 2, 8, 24, 30, 'urgent'),
    ('事件', '0116'): ('Cooking-fume pollution', 'STHJ'),
    ('事件', '0117'): ('Animal carcass removal', 'HW', 2, 5, 8, 30, 'urgent'),
    ('事件', '0118'): ('Keeping poultry or livestock', 'CGZF'),
    ('事件', '0199'): ('Other city-appearance problem', 'CGZF'),
    ('事件', '0201'): ('Illegal small advertisements', 'CGZF'),
    ('事件', '0202'): ('Unauthorised posters or signboards', 'CGZF'),
    ('事件', '0203'): ('Billboard occupying the road', 'CGZF'),
    ('事件', '0204'): ('Handing out flyers on the street', 'CGZF'),
    ('事件', '0205'): ('Damaged advertising sign', 'CGZF'),
    ('事件', '0301'): ('Construction disturbing residents', 'ZJ', 2, 8, 24, 30, 'urgent'),
    ('事件', '0302'): ('Construction-site dust', 'STHJ'),
    ('事件', '0303'): ('Construction waste', 'CGZF'),
    ('事件', '0304'): ('Construction occupying the road', 'CGZF'),
    ('事件', '0305'): ('Road excavation without permit', 'CGZF', 4, 24, 72, 60, 'urgent'),
    ('事件', '0399'): ('Other construction problem', 'ZJ'),
    ('事件', '0401'): ('Road collapse', 'SZ', 2, 8, 24, 30, 'emergency'),
    ('事件', '0402'): ('Burst water main', 'GS', 2, 8, 24, 30, 'emergency'),
    ('事件', '0403'): ('Burst gas pipe', 'RQ', 1, 4, 12, 15, 'emergency'),
    ('事件', '0404'): ('Blocked or broken sewer', 'SW', 4, 24, 72, 30, 'urgent'),
    ('事件', '0405'): ('Burst heating pipe', 'SZ', 2, 8, 24, 30, 'emergency'),
    ('事件', '0406'): ('Standing water on the road', 'SZ', 4, 8, 24, 30, 'urgent'),
    ('事件', '0407'): ('Snow or ice on the road', 'HW', 4, 8, 24, 30, 'urgent'),
    ('事件', '0408'): ('Damaged overhead cable', 'TX', 4, 24, 72, 30, 'urgent'),
    ('事件', '0409'): ('Mass incident', 'GA', 1, 4, 12, 15, 'emergency'),
    ('事件', '0499'): ('Other emergency', 'YJ', 2, 8, 24, 30, 'emergency'),
    ('事件', '0501'): ('Unlicensed street vending', 'CGZF'),
    ('事件', '0502'): ('Vagrancy and begging', 'MZ'),
    ('事件', '0503'): ('Scrap collection on the road', 'CGZF'),
    ('事件', '0504'): ('Business outside the shop', 'CGZF'),
    ('事件', '0505'): ('Illegal car parking', 'JJ', 2, 4, 8, 30, 'normal'),
    ('事件', '0506'): ('Illegal bicycle parking', 'CGZF'),
    ('事件', '0507'): ('Materials piled at random', 'CGZF'),
    ('事件', '0508'): ('Commercial noise', 'CGZF'),
    ('事件', '0509'): ('Illegal taxis touting', 'JT'),
    ('事件', '0510'): ('Open-air barbecue', 'CGZF'),
    ('事件', '0511'): ('Laundry hung along the street', 'CGZF'),
    ('事件', '0512'): ('Selling illegal publications', 'WL'),
    ('事件', '0513'): ('Air-conditioner unit mounted too low', 'CGZF'),
    ('事件', '0599'): ('Other street-order problem', 'CGZF'),
}
DEFAULT = {'部件': (24, 72, 160, 120, 'normal'), '事件': (8, 24, 72, 60, 'normal')}

# Social governance 社会治理: major, minor, items (zh, en, dept, g, e, s, verify, urgency)
SOCIAL = [
    ('01', '矛盾纠纷', 'Disputes', [
        ('01', '邻里纠纷', 'Neighbour disputes', [
            ('噪音扰邻纠纷', 'Noise dispute between neighbours', 'SF', 24, 56, 120, 120, 'normal'),
            ('房屋漏水纠纷', 'Leaking-flat dispute', 'SF', 24, 56, 120, 120, 'normal'),
            ('占用公共空间纠纷', 'Dispute over shared space', 'SF', 24, 56, 120, 120, 'normal')]),
        ('02', '婚姻家庭纠纷', 'Marriage and family disputes', [
            ('家庭矛盾', 'Family conflict', 'SF', 24, 56, 120, 120, 'normal'),
            ('赡养抚养纠纷', 'Elder or child support dispute', 'SF', 24, 56, 120, 120, 'normal'),
            ('家庭暴力', 'Domestic violence', 'GA', 2, 8, 24, 30, 'emergency')]),
        ('03', '物业纠纷', 'Property management disputes', [
            ('物业服务纠纷', 'Property service dispute', 'ZJ', 24, 56, 120, 120, 'normal'),
            ('物业费纠纷', 'Property fee dispute', 'ZJ', 24, 56, 120, 120, 'normal'),
            ('业主委员会纠纷', "Owners' committee dispute", 'ZJ', 40, 80, 160, 120, 'normal')]),
        ('04', '劳资纠纷', 'Labour disputes', [
            ('拖欠工资', 'Unpaid wages', 'RS', 16, 56, 120, 60, 'urgent'),
            ('劳动合同纠纷', 'Labour contract dispute', 'RS', 24, 56, 120, 120, 'normal')]),
        ('05', '土地房屋纠纷', 'Land and housing disputes', [
            ('宅基地纠纷', 'Homestead dispute', 'GH', 40, 80, 160, 120, 'normal'),
            ('房屋租赁纠纷', 'Tenancy dispute', 'SF', 24, 56, 120, 120, 'normal')]),
    ]),
    ('02', '安全隐患', 'Safety hazards', [
        ('01', '建筑安全隐患', 'Building safety', [
            ('危房', 'Dangerous building', 'ZJ', 4, 24, 72, 30, 'urgent'),
            ('高空坠物隐患', 'Risk of objects falling from height', 'ZJ', 4, 24, 72, 30, 'urgent'),
            ('电梯故障', 'Lift failure', 'SCJG', 2, 8, 24, 30, 'urgent')]),
        ('02', '燃气安全隐患', 'Gas safety', [
            ('燃气泄漏', 'Gas leak', 'RQ', 1, 2, 4, 15, 'emergency'),
            ('违规使用瓶装燃气', 'Improper use of bottled gas', 'RQ', 4, 24, 56, 60, 'urgent')]),
        ('03', '生产经营安全隐患', 'Workplace safety', [
            ('危险化学品隐患', 'Hazardous chemicals', 'YJ', 2, 8, 24, 30, 'emergency'),
            ('小作坊安全隐患', 'Unsafe small workshop', 'YJ', 8, 40, 80, 60, 'urgent'),
            ('有限空间作业隐患', 'Confined-space work hazard', 'YJ', 4, 24, 56, 30, 'urgent')]),
        ('04', '自然灾害隐患', 'Natural hazards', [
            ('地质灾害隐患', 'Geological hazard', 'GH', 4, 24, 72, 30, 'urgent'),
            ('内涝隐患', 'Waterlogging risk', 'SW', 4, 24, 72, 30, 'urgent')]),
    ]),
    ('03', '治安', 'Public order', [
        ('01', '治安隐患', 'Public-order risks', [
            ('可疑人员', 'Suspicious person', 'GA', 2, 8, 24, 30, 'urgent'),
            ('打架斗殴', 'Fighting', 'GA', 1, 2, 4, 15, 'emergency'),
            ('赌博', 'Gambling', 'GA', 4, 24, 56, 60, 'normal')]),
        ('02', '出租房屋与流动人口', 'Rented housing and migrants', [
            ('出租房屋未登记', 'Unregistered rented housing', 'GA', 24, 56, 120, 120, 'normal'),
            ('群租房', 'Overcrowded rental', 'ZJ', 24, 56, 120, 120, 'normal')]),
        ('03', '重点人员', 'Persons under attention', [
            ('重点人员异常', 'Unusual behaviour of a person under attention', 'GA', 2, 8, 24, 30, 'urgent'),
            ('肇事肇祸精神障碍患者', 'Mental patient at risk of causing harm', 'WJ', 2, 8, 24, 30, 'urgent')]),
        ('04', '交通安全', 'Traffic safety', [
            ('交通事故隐患路段', 'Accident-prone road section', 'JJ', 8, 40, 120, 60, 'normal'),
            ('电动车违规充电', 'Unsafe e-bike charging', 'XF', 4, 24, 56, 60, 'urgent')]),
    ]),
    ('04', '消防', 'Fire safety', [
        ('01', '消防通道', 'Fire lanes', [
            ('消防通道堵塞', 'Blocked fire lane', 'XF', 2, 8, 24, 30, 'urgent'),
            ('楼道堆物', 'Items piled in stairwells', 'XF', 4, 24, 56, 60, 'normal')]),
        ('02', '消防设施', 'Fire equipment', [
            ('消防设施损坏', 'Damaged fire equipment', 'XF', 8, 24, 72, 60, 'urgent'),
            ('灭火器过期缺失', 'Expired or missing extinguisher', 'XF', 8, 24, 72, 60, 'normal')]),
        ('03', '火灾隐患', 'Fire risks', [
            ('私拉乱接电线', 'Illegal wiring', 'XF', 4, 24, 56, 60, 'urgent'),
            ('三合一场所', 'Living, storage and business under one roof', 'XF', 8, 40, 80, 60, 'urgent'),
            ('火情', 'Fire', 'XF', 1, 1, 2, 10, 'emergency')]),
    ]),
    ('05', '民生服务', 'Livelihood services', [
        ('01', '特殊群体关爱', 'Care for vulnerable people', [
            ('独居老人关怀', 'Elderly person living alone needs care', 'MZ', 8, 24, 56, 60, 'urgent'),
            ('困境儿童帮扶', 'Child in difficulty', 'MZ', 8, 24, 56, 60, 'urgent'),
            ('残疾人帮扶', 'Assistance for a disabled person', 'MZ', 24, 56, 120, 120, 'normal')]),
        ('02', '社会救助', 'Social assistance', [
            ('低保申请协助', 'Help applying for minimum income', 'MZ', 40, 80, 160, 120, 'normal'),
            ('临时救助', 'Temporary assistance', 'MZ', 8, 24, 56, 60, 'urgent')]),
        ('03', '公共服务', 'Public services', [
            ('停水', 'Water outage', 'GS', 4, 24, 56, 30, 'urgent'),
            ('停电', 'Power outage', 'GD', 4, 24, 56, 30, 'urgent'),
            ('燃气停供', 'Gas outage', 'RQ', 4, 24, 56, 30, 'urgent'),
            ('通信网络故障', 'Telecom outage', 'TX', 8, 24, 72, 60, 'normal')]),
        ('04', '就业与社保', 'Jobs and social insurance', [
            ('就业援助', 'Job assistance', 'RS', 40, 80, 160, 120, 'normal'),
            ('社保咨询办理', 'Social-insurance enquiry', 'RS', 24, 56, 120, 120, 'normal')]),
        ('05', '医疗卫生', 'Health', [
            ('传染病疫情线索', 'Infectious-disease lead', 'WJ', 2, 4, 8, 15, 'emergency'),
            ('无证行医', 'Unlicensed medical practice', 'WJ', 8, 40, 80, 60, 'urgent'),
            ('病媒生物孳生', 'Breeding of disease vectors', 'WJ', 8, 24, 72, 60, 'normal')]),
    ]),
    ('06', '信访', 'Petitions', [
        ('01', '群众诉求', "Residents' requests", [
            ('来信来访诉求', 'Petition by letter or visit', 'XFJ', 40, 120, 240, 120, 'normal'),
            ('12345热线转办', 'Hotline 12345 work order', 'XFJ', 16, 40, 120, 60, 'normal')]),
        ('02', '重复信访', 'Repeated petitions', [
            ('重复信访', 'Repeated petition', 'XFJ', 40, 120, 240, 120, 'normal'),
            ('越级上访苗头', 'Sign of bypass petitioning', 'XFJ', 8, 24, 56, 60, 'urgent')]),
        ('03', '集体诉求', 'Collective requests', [
            ('群体性诉求', 'Collective request', 'XFJ', 8, 24, 56, 60, 'urgent'),
            ('征地拆迁诉求', 'Land acquisition or demolition complaint', 'GH', 40, 120, 240, 120, 'normal')]),
    ]),
    ('07', '生态环境', 'Ecology and environment', [
        ('01', '污染', 'Pollution', [
            ('污水直排', 'Untreated sewage discharge', 'STHJ', 8, 40, 120, 60, 'urgent'),
            ('工业废气', 'Industrial exhaust', 'STHJ', 8, 40, 120, 60, 'urgent'),
            ('噪声污染', 'Noise pollution', 'STHJ', 8, 24, 72, 60, 'normal')]),
        ('02', '垃圾分类', 'Waste sorting', [
            ('垃圾分类不规范', 'Waste not sorted', 'HW', 8, 24, 56, 60, 'normal'),
            ('大件垃圾乱扔', 'Bulky waste dumped', 'HW', 8, 24, 56, 60, 'normal')]),
    ]),
    ('08', '市场监管', 'Market regulation', [
        ('01', '食品安全', 'Food safety', [
            ('无证食品经营', 'Unlicensed food business', 'SCJG', 8, 40, 80, 60, 'urgent'),
            ('过期变质食品', 'Expired or spoiled food on sale', 'SCJG', 4, 24, 56, 60, 'urgent')]),
        ('02', '经营秩序', 'Business order', [
            ('价格欺诈', 'Price fraud', 'SCJG', 24, 56, 120, 120, 'normal'),
            ('无照经营', 'Unlicensed business', 'SCJG', 24, 56, 120, 120, 'normal')]),
    ]),
]

def main():
    out = []
    with open('data/categories/reference.csv', encoding='utf-8') as f:
        for r in csv.DictReader(f):
            k = (r['kind'], r['minor_code'])
            it = ITEMS[k]
            en, dept = it[0], it[1]
            lim = it[2:] if len(it) > 2 else DEFAULT[r['kind']]
            prefix = 'C' if r['kind'] == '部件' else 'E'
            out.append([prefix + r['minor_code'], r['kind'], prefix + r['major_code'], r['major_name'],
                        MAJOR_EN[(r['kind'], r['major_code'])], prefix + r['minor_code'],
                        r['minor_name'], en, r['minor_name'], en, dept, *lim])
    for mc, mzh, men, minors in SOCIAL:
        for nc, nzh, nen, items in minors:
            for i, (zh, en, dept, g, e, s, v, u) in enumerate(items, 1):
                out.append(['G%s%s%02d' % (mc, nc, i), '社会治理', 'G' + mc, mzh, men,
                            'G' + mc + nc, nzh, nen, zh, en, dept, g, e, s, v, u])
    with open('data/categories.csv', 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['code', 'kind', 'major_code', 'major_name', 'major_name_en', 'minor_code',
                    'minor_name', 'minor_name_en', 'name', 'name_en', 'department',
                    'limit_general_h', 'limit_engineering_h', 'limit_special_h',
                    'verify_min', 'urgency'])
        for row in out:
            assert row[11] <= row[12] <= row[13], row
            w.writerow(row)

if __name__ == '__main__':
    main()
