"""Invented news articles for the page-classifier evaluation (no real events or people).

Each article is a headline, a standfirst and a body of ("p" | "h2" | "quote", text)
blocks; make_pages.py sets them inside the chrome of invented news sites.
"""

ARTICLES = [
    {
        "slug": "library-closure",
        "headline": "Council votes to close two branch libraries despite petition",
        "standfirst": "Campaigners say the decision will leave thousands of residents without a library within walking distance.",
        "body": [
            (
                "p",
                "Councillors in Eastmoor voted by 31 to 24 on Wednesday night to close the Harrow Lane and Millbrook branch libraries, ending a year-long campaign by residents to save them.",
            ),
            (
                "p",
                "The authority says the closures will save about £410,000 a year at a time when it must find £18m of cuts before April. Both buildings will be sold.",
            ),
            (
                "p",
                "A petition signed by more than 6,000 people was handed in before the meeting, and around 80 protesters gathered outside the town hall holding placards and books.",
            ),
            ("h2", "A mobile service instead"),
            (
                "p",
                "The council's cabinet member for communities, Ruth Ansell, said a mobile library would visit both estates twice a week and that the central library would extend its opening hours.",
            ),
            ("quote", "\u201cNobody came into politics to close libraries,\u201d she said."),
            (
                "p",
                "\u201cBut we have to protect services for vulnerable children and adults first, and the numbers simply do not add up any more.\u201d",
            ),
            (
                "p",
                "Opposition councillors said the mobile service would not replace the homework clubs, computer access and toddler sessions that the branches run, and called for the decision to be reviewed.",
            ),
            (
                "p",
                "Jean Whitlock, 71, who has used the Millbrook branch for forty years, said she felt the council had stopped listening. \u201cIt is the only warm place some of us go,\u201d she said.",
            ),
        ],
    },
    {
        "slug": "river-flooding",
        "headline": "Families evacuated as river bursts its banks after two days of rain",
        "standfirst": "Rescue teams used boats to reach homes in the lower town, where water rose more than a metre overnight.",
        "body": [
            (
                "p",
                "More than 120 people were moved out of their homes in Caldbeck on Sunday after the River Oster burst its banks following 48 hours of almost continuous rain.",
            ),
            (
                "p",
                "Fire crews used inflatable boats to reach residents on Mill Street and Tanners Row, where the water was more than a metre deep by dawn. Nobody was seriously hurt.",
            ),
            (
                "p",
                "A rest centre was opened at the town's leisure centre, and volunteers handed out blankets, hot drinks and dry clothes through the night.",
            ),
            ("h2", "Warnings remain in place"),
            (
                "p",
                "The Environment Agency said two severe flood warnings remained in place for the valley and that river levels were not expected to fall until Tuesday.",
            ),
            (
                "p",
                "Station manager Colin Reyes said crews had carried out 34 rescues. \u201cPeople have been brilliant at looking out for their neighbours, but please do not try to drive through flood water,\u201d he said.",
            ),
            (
                "p",
                "The flood defences finished in 2019 held along most of the river, but water came over a lower section near the old tannery that had been due for work next year.",
            ),
            ("quote", "\u201cWe lost everything downstairs again,\u201d said one resident."),
            (
                "p",
                "Insurers said they expected claims from several hundred households, and the council said it would waive business rates for shops forced to close.",
            ),
        ],
    },
    {
        "slug": "school-meals",
        "headline": "Primary school pupils to get free breakfasts in pilot scheme",
        "standfirst": "Twelve schools will take part in the first year, with the scheme extended if attendance improves.",
        "body": [
            (
                "p",
                "Children at twelve primary schools in the Westvale district will be offered a free breakfast every school day from September under a pilot funded by the regional health board.",
            ),
            (
                "p",
                "The schools were chosen because a high share of their pupils are eligible for free lunches, and teachers had reported children arriving too hungry to concentrate.",
            ),
            (
                "p",
                "Headteacher Amira Costa said her staff already bought cereal and fruit out of their own pockets. \u201cYou cannot teach a child who has not eaten since lunchtime the day before,\u201d she said.",
            ),
            (
                "p",
                "Breakfast clubs will open 30 minutes before lessons start and will be run by school staff and volunteers, who will be paid for the extra time.",
            ),
            ("h2", "Will it work?"),
            (
                "p",
                "Researchers at a local university will compare attendance, punctuality and reading scores at the pilot schools with a group of similar schools that are not taking part.",
            ),
            (
                "p",
                "Similar schemes elsewhere have been linked with better attendance, although the evidence on exam results is mixed, the researchers said.",
            ),
            (
                "p",
                "The health board has set aside \u00a31.2m for the first year. A decision on extending the scheme to all primary schools is expected next summer.",
            ),
        ],
    },
    {
        "slug": "cup-final",
        "headline": "Late header sends Redbridge Rovers into first cup final for 30 years",
        "standfirst": "Substitute Tomas Ferreira scored in the 89th minute to settle a tense semi-final.",
        "body": [
            (
                "p",
                "Redbridge Rovers reached their first county cup final since 1994 after substitute Tomas Ferreira headed in a corner with a minute of normal time left at a packed Meadow Park.",
            ),
            (
                "p",
                "The visitors from Hollins Cross had the better of the first half and hit the post twice, but Rovers grew into the game after the break as the rain got heavier.",
            ),
            (
                "p",
                "Goalkeeper Sam Okafor kept them level with a double save midway through the second half, diving low to his left and then recovering to block the rebound.",
            ),
            ("quote", "\u201cI have never heard noise like it,\u201d said manager Dave Pritchard."),
            (
                "p",
                "\u201cThe lads have worked so hard for this, and for Tomas to come off the bench and do that is what football is all about. Now we have to go and win it.\u201d",
            ),
            ("h2", "Final date confirmed"),
            (
                "p",
                "The final against either Ashby Town or Kelmscott will be played at the county ground on 18 May. Tickets go on sale to season ticket holders next week.",
            ),
            ("p", "A crowd of 3,412 was the biggest at Meadow Park for more than a decade, the club said."),
        ],
    },
    {
        "slug": "bus-routes",
        "headline": "Bus operator to cut evening services on six routes",
        "standfirst": "The company blames falling passenger numbers and a shortage of drivers.",
        "body": [
            (
                "p",
                "Evening buses on six routes across the north of the county will stop running after 8pm from next month, the operator Trentline has announced.",
            ),
            (
                "p",
                "The company said passenger numbers after 8pm had fallen by nearly 40% since 2019 and that it was still short of around 60 drivers despite a recruitment drive.",
            ),
            (
                "p",
                "Passenger groups said the cuts would hit shift workers, students and people without cars hardest, and urged the county council to step in with funding.",
            ),
            (
                "p",
                "Nurse Priya Mandal, who finishes work at the district hospital at 9pm, said she would now face a 45-minute walk home. \u201cI do not know what I am supposed to do,\u201d she said.",
            ),
            (
                "p",
                "The county council said it was looking at whether any of the services could be kept running with a subsidy, but warned that its transport budget was already stretched.",
            ),
            (
                "p",
                "Trentline said it would review the timetable again in the autumn and restore services if it was able to recruit enough drivers.",
            ),
        ],
    },
    {
        "slug": "hospital-waiting",
        "headline": "Hospital waiting list falls for the first time in three years",
        "standfirst": "Extra weekend clinics and a new day surgery unit are credited with the improvement.",
        "body": [
            (
                "p",
                "The number of patients waiting for planned treatment at St Aldric's Hospital has fallen for the first time since 2021, new figures show.",
            ),
            (
                "p",
                "At the end of March, 41,200 people were on the waiting list, down from 44,900 in December. The number waiting more than a year fell by a third.",
            ),
            (
                "p",
                "The trust opened a day surgery unit in January that can carry out hip and knee operations without an overnight stay, and has run extra clinics on Saturdays since the autumn.",
            ),
            ("h2", "Pressures remain"),
            (
                "p",
                "Chief executive Dr Helen Marsh said staff deserved the credit but warned that the winter had been difficult and that the emergency department remained under severe pressure.",
            ),
            ("quote", "\u201cThis is a start, not a finish line,\u201d she said."),
            (
                "p",
                "Patients' groups welcomed the figures but said many people were still waiting in pain, and that the trust needed to be clearer about how long each specialty would take.",
            ),
        ],
    },
    {
        "slug": "housing-plan",
        "headline": "Plans for 400 homes on former dairy site approved",
        "standfirst": "A third of the homes will be affordable, but neighbours fear the extra traffic.",
        "body": [
            (
                "p",
                "Outline plans to build 400 homes on the site of the former Greenhill dairy have been approved by the district council's planning committee.",
            ),
            (
                "p",
                "The developer, Castlegate Homes, says 135 of the houses and flats will be offered at affordable rents or through shared ownership, and that a new primary school will be built on the site.",
            ),
            (
                "p",
                "More than 300 objections were received, most of them about traffic on the narrow roads around the village and the pressure on the local doctors' surgery.",
            ),
            (
                "p",
                "Committee chairman Alan Briggs said the district badly needed homes that young families could afford. \u201cWe cannot keep saying no to every site,\u201d he told the meeting.",
            ),
            (
                "p",
                "Parish councillor Sue Hammond said residents were not against new homes but felt their concerns had been brushed aside. \u201cThe roads were built for horses and carts,\u201d she said.",
            ),
            (
                "p",
                "Work on the first phase is expected to start next year, once detailed plans for the roads and drainage have been agreed.",
            ),
        ],
    },
    {
        "slug": "museum-reopens",
        "headline": "Town museum reopens after two-year restoration",
        "standfirst": "The Victorian building has a new roof, a lift and a gallery for the town's textile history.",
        "body": [
            (
                "p",
                "The Brackenford Museum reopened its doors on Saturday after a two-year, \u00a34.6m restoration that has repaired its leaking roof and made every floor accessible for the first time.",
            ),
            (
                "p",
                "Hundreds of visitors queued in the sunshine before the doors opened at ten, and the first hour's tickets were gone by lunchtime.",
            ),
            (
                "p",
                "A new gallery tells the story of the town's mills through the voices of the people who worked in them, recorded by volunteers over the past five years.",
            ),
            ("h2", "Free for a month"),
            (
                "p",
                "Entry will be free until the end of next month, after which adult tickets will cost \u00a36. Children and local residents will still get in free.",
            ),
            (
                "p",
                "Curator Rhian Lloyd said the team had found objects in storage that had not been on display for decades, including a loom built in the town in 1861.",
            ),
            ("quote", "\u201cIt feels like the building can breathe again,\u201d she said."),
        ],
    },
    {
        "slug": "data-breach",
        "headline": "Retailer apologises after customer data exposed in cyber attack",
        "standfirst": "Names, addresses and order histories of about 200,000 customers may have been accessed.",
        "body": [
            (
                "p",
                "The home furnishings chain Linden & Marsh has apologised to customers after hackers gained access to a database holding names, addresses and order histories.",
            ),
            (
                "p",
                "The company said about 200,000 customers who had shopped online since 2020 may be affected, but that payment card details were held by a separate provider and had not been accessed.",
            ),
            (
                "p",
                "It discovered the breach on 3 March and has reported it to the data protection regulator and the police. Customers have been emailed and told to be alert to scam messages.",
            ),
            (
                "p",
                "Security researcher Kai Lindqvist said order histories could be used to make phishing emails more convincing. \u201cA message that mentions the sofa you actually bought is far more believable,\u201d he said.",
            ),
            ("h2", "What should customers do?"),
            (
                "p",
                "The company advises customers to change their password, to be wary of emails asking them to confirm their details and never to give out their card number over the phone.",
            ),
            (
                "p",
                "Linden & Marsh said it had hired an outside firm to investigate and had added further security checks to its systems.",
            ),
        ],
    },
    {
        "slug": "rail-strike",
        "headline": "Rail workers announce three days of strikes in pay dispute",
        "standfirst": "Services across the region are expected to be severely disrupted later this month.",
        "body": [
            (
                "p",
                "Train drivers and guards at Northern Vale Railways will walk out on three days later this month after talks over pay broke down, their union has announced.",
            ),
            (
                "p",
                "The union said its members had been offered a rise of 3.5%, well below inflation over the past two years, and that the company wanted to change rostering rules in return.",
            ),
            (
                "p",
                "The operator said it was disappointed and that the offer was fair and affordable. It warned passengers that only a skeleton service would run on strike days.",
            ),
            ("quote", "\u201cNobody wants to strike,\u201d said union organiser Martin Hale."),
            (
                "p",
                "\u201cBut our members have seen their pay fall in real terms year after year while the company has paid out dividends. They have had enough.\u201d",
            ),
            (
                "p",
                "Business groups said the strikes would hit shops and restaurants in the city centre at one of their busiest times of the year, and called on both sides to return to talks.",
            ),
            (
                "p",
                "Passengers with tickets for the strike dates will be able to use them the day before or after, or claim a full refund.",
            ),
        ],
    },
    {
        "slug": "wind-farm",
        "headline": "Offshore wind farm gets go-ahead after five-year planning battle",
        "standfirst": "The 60-turbine scheme could power around 400,000 homes.",
        "body": [
            (
                "p",
                "A 60-turbine wind farm off the Gannet Head coast has been given planning consent, five years after it was first proposed.",
            ),
            (
                "p",
                "Developer Saltmarsh Energy says the scheme will generate enough electricity for about 400,000 homes and create 300 jobs during construction, most of them at the port.",
            ),
            (
                "p",
                "Fishing groups had opposed the plans, saying the turbines and cables would close off some of the richest grounds in the bay. The company has agreed to fund a compensation scheme.",
            ),
            (
                "p",
                "Environmental campaigners welcomed the decision but said the approval process had taken far too long. \u201cFive years is a lifetime in the climate crisis,\u201d said Tamsin Rowe of Coast Action.",
            ),
            ("h2", "Construction in 2026"),
            (
                "p",
                "Work on the onshore substation is expected to begin next year, with the turbines installed in 2026 and the first power generated the following spring.",
            ),
        ],
    },
    {
        "slug": "court-fraud",
        "headline": "Former charity treasurer jailed for stealing \u00a3180,000",
        "standfirst": "The money was meant for a hospice and was spent on holidays and a car.",
        "body": [
            (
                "p",
                "A former treasurer of a hospice charity has been jailed for three years and four months after admitting stealing more than \u00a3180,000 over six years.",
            ),
            (
                "p",
                "Graham Ellery, 58, of Larch Avenue, Pennington, transferred money from the charity's accounts to his own and covered his tracks with false invoices, the crown court heard.",
            ),
            (
                "p",
                "The fraud came to light when a new trustee asked to see bank statements that did not match the figures Ellery had presented to the board.",
            ),
            (
                "p",
                "Prosecutor Anna Vickers said the money had been spent on foreign holidays, home improvements and a sports car. Ellery pleaded guilty to fraud by abuse of position.",
            ),
            (
                "p",
                "Sentencing him, Judge Mark Telford said he had betrayed the trust of volunteers and of families who had raised money in memory of loved ones.",
            ),
            ("quote", "\u201cThis was a cynical and sustained deceit,\u201d the judge said."),
            (
                "p",
                "The hospice said it had tightened its financial controls and that no patient care had been affected. Proceedings to recover the money will follow.",
            ),
        ],
    },
    {
        "slug": "food-festival",
        "headline": "Food festival returns to the harbour with record number of stalls",
        "standfirst": "Organisers expect 30,000 visitors over the weekend.",
        "body": [
            (
                "p",
                "The Saltwick Food Festival returns to the harbour this weekend with more than 150 stalls, the most in its twenty-year history.",
            ),
            (
                "p",
                "Local producers will sell cheese, smoked fish, bread and cider alongside street food from around the world, and chefs from the town's restaurants will cook on a stage by the lifeboat station.",
            ),
            (
                "p",
                "Organiser Beth Calloway said the festival had grown from a handful of tables in a car park. \u201cIt is now one of the biggest weekends of the year for the whole town,\u201d she said.",
            ),
            ("h2", "Getting there"),
            (
                "p",
                "Extra park and ride buses will run from the showground every ten minutes, and the harbour road will be closed to traffic from 7am on both days.",
            ),
            ("p", "Entry is free. The festival runs from 10am to 6pm on Saturday and Sunday."),
        ],
    },
    {
        "slug": "phone-update",
        "headline": "Phone maker pulls software update after users report battery drain",
        "standfirst": "Some owners said their handsets were losing charge within hours.",
        "body": [
            (
                "p",
                "The smartphone maker Orbis has withdrawn a software update for three of its recent models after thousands of users complained that their batteries were draining far faster than before.",
            ),
            (
                "p",
                "Owners posted screenshots on forums showing phones losing half their charge in two or three hours of light use, and some said their handsets became hot while idle.",
            ),
            (
                "p",
                "The company said a background process introduced by the update was running continuously on some devices, and that a fix would be released within a week.",
            ),
            (
                "p",
                "Users who have already installed the update are advised to restart their phones and to turn off the new photo backup feature until the fix arrives.",
            ),
            ("quote", "\u201cWe are sorry for the inconvenience,\u201d the company said in a statement."),
            (
                "p",
                "Analysts said the episode was embarrassing for a brand that has made battery life a centrepiece of its advertising, but was unlikely to do lasting damage.",
            ),
        ],
    },
    {
        "slug": "heatwave",
        "headline": "Heat health alert issued as temperatures set to reach 32C",
        "standfirst": "Older people and those with heart and lung conditions are urged to take care.",
        "body": [
            (
                "p",
                "An amber heat health alert has been issued for the region, with temperatures expected to reach 32C on Thursday and Friday.",
            ),
            (
                "p",
                "Health officials are urging people to check on elderly neighbours, to keep curtains closed during the hottest part of the day and to drink plenty of water.",
            ),
            (
                "p",
                "The hot spell is expected to break at the weekend, when thunderstorms could bring heavy rain and the risk of flash flooding in some areas.",
            ),
            ("h2", "Advice for schools"),
            (
                "p",
                "Schools have been told to let pupils wear lighter clothing and to keep children in the shade at break times. Some sports days have been moved to cooler mornings.",
            ),
            (
                "p",
                "The ambulance service said it had already seen a rise in calls and asked people to use the 111 service for anything that was not an emergency.",
            ),
        ],
    },
    {
        "slug": "obituary-teacher",
        "headline": "Tributes paid to teacher who ran village choir for 50 years",
        "standfirst": "Margaret Doyle taught at the village school for three decades.",
        "body": [
            (
                "p",
                "Tributes have been paid to Margaret Doyle, who taught at Ashcombe primary school for thirty years and ran the village choir for half a century, who has died aged 88.",
            ),
            (
                "p",
                "Former pupils remembered her as strict but kind, and said she had a gift for making shy children sing. The choir performed at the cathedral every Christmas under her direction.",
            ),
            (
                "p",
                "Her son Patrick said she was still writing out music for the choir's altos last month. \u201cShe never really retired from anything,\u201d he said.",
            ),
            (
                "p",
                "The choir will sing at her funeral at St Michael's church next Friday, and has asked that donations be given to the school's music fund instead of flowers.",
            ),
            ("quote", "She is survived by three children and seven grandchildren."),
        ],
    },
    {
        "slug": "cycle-lane",
        "headline": "Temporary cycle lane to be made permanent after trial",
        "standfirst": "Cycling on the route has doubled since the lane was installed.",
        "body": [
            (
                "p",
                "A temporary cycle lane along Queensway will be made permanent after an 18-month trial found that the number of people cycling on the road had doubled.",
            ),
            (
                "p",
                "Counters recorded an average of 1,850 bike journeys a day in the spring, compared with 900 before the lane was put in with plastic wands and paint.",
            ),
            (
                "p",
                "Some shopkeepers said the loss of parking bays had hurt trade, and the council has agreed to create twelve short-stay bays on nearby side streets.",
            ),
            (
                "p",
                "The permanent lane will be separated from traffic by a kerb and will be resurfaced along its length. Work is expected to take four months.",
            ),
            (
                "p",
                "Local cycling group Pedal Power said the scheme showed what could be done. \u201cBuild it properly and people will use it,\u201d said its chair, Dan Whitford.",
            ),
        ],
    },
    {
        "slug": "science-bees",
        "headline": "Wildflower verges doubled bee numbers, study finds",
        "standfirst": "Researchers counted insects on roadside verges left uncut for three summers.",
        "body": [
            (
                "p",
                "Leaving roadside verges uncut until late summer doubled the number of bees visiting them, according to a three-year study by researchers in the county.",
            ),
            (
                "p",
                "The team counted insects on 40 stretches of verge, half of which were mown as usual and half left to flower until September.",
            ),
            (
                "p",
                "By the third summer the uncut verges had twice as many bees and three times as many butterflies, and the number of plant species had risen by a quarter.",
            ),
            (
                "p",
                "Lead researcher Dr Owen Pryce said the results were striking. \u201cIt costs nothing and it works,\u201d he said. \u201cSome councils have been nervous about complaints that verges look untidy, but people come round once they see the flowers.\u201d",
            ),
            (
                "p",
                "The county council says it will extend the approach to a further 120 miles of verges next year, while keeping the edges nearest the road cut for safety.",
            ),
        ],
    },
]
