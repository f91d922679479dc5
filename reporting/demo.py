"""Demo data of the `reporting` app: the results framework of PEM-WECCO and its final evaluation (Cota asbl,
August 2024) as the executive summary gives it; plus the demo accounts and the figures `load_demo`
prints, counted from the rows. Writes only `reporting` models."""

import datetime
import random

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import Role
from coaching.models import CoachingSession
from cohorts.demo import HISTORY_REASON, DemoCohorts
from cohorts.models import Application, CommitteeMembership, ProgrammePartner, ProgrammePartnerRole
from cohorts.territory import diaspora_condition
from mobility.models import B2BMeeting, Partnership, PartnershipStage, Trip, TripStatus, VisaFile, VisaStatus
from partners.demo import DEMO_DOMAIN, RECORDED_AT
from partners.models import OrganisationKind

from .demo_fr import FRENCH
from .indicators import LOWER_IS_BETTER_CALCULATORS
from .models import (
    Conclusion,
    CriterionFinding,
    CriterionGrade,
    DataSource,
    Evaluation,
    EvaluationQuestion,
    Indicator,
    IndicatorDirection,
    IndicatorTarget,
    Lesson,
    ManagementResponse,
    Recommendation,
    ReportJob,
    ResponseDecision,
    ResponseStatus,
    ResultObjective,
)

#: One password for every demo account (demo data only: never use it on a real installation).
DEMO_PASSWORD = "pem-demo-2024"

#: The accounts to try the platform with: e-mail, role, what the account shows.
DEMO_ACCOUNTS = [
    (f"admin@{DEMO_DOMAIN}", Role.STAFF, "Super-utilisateur·rice : équipe du programme et administration Django"),
    (f"equipe@{DEMO_DOMAIN}", Role.STAFF, "Équipe du programme (Dakar) : sélection, visas, voyages, suivi"),
    (f"coach@{DEMO_DOMAIN}", Role.COACH, "Coach Bond'innov : entrepreneur·es affecté·es, séances de coaching"),
    (
        f"reviewer@{DEMO_DOMAIN}",
        Role.REVIEWER,
        "Évaluatrice de candidatures : notes sur la grille, un conflit d'intérêts déclaré",
    ),
    (
        f"entrepreneur@{DEMO_DOMAIN}",
        Role.ENTREPRENEUR,
        "Entrepreneure de la cohorte 1, sélectionnée, partie avec la mission économique de mai 2023",
    ),
    (f"comite@{DEMO_DOMAIN}", Role.COMMITTEE, "Membre du comité de pilotage de PEM-WECCO (tableau de bord en lecture)"),
    (f"evaluateur@{DEMO_DOMAIN}", Role.EVALUATOR, "Évaluateur externe de PEM-WECCO (matrice d'évaluation CAD)"),
]
#: Invented names of the demo accounts (the entrepreneur's come from her application).
DEMO_ACCOUNT_NAMES = {
    f"admin@{DEMO_DOMAIN}": ("Admin", "Démo"),
    f"equipe@{DEMO_DOMAIN}": ("Fatou", "Équipe-Démo"),
    f"coach@{DEMO_DOMAIN}": ("Mariama", "Demba-Fictif"),
    f"reviewer@{DEMO_DOMAIN}": ("Rokhaya", "Évaluation-Démo"),
    f"entrepreneur@{DEMO_DOMAIN}": ("Aminata", "Démo-Sarr"),
    f"comite@{DEMO_DOMAIN}": ("Moussa", "Comité-Démo"),
    f"evaluateur@{DEMO_DOMAIN}": ("Luc", "Évaluateur-Démo"),
}

# --------------------------------------------------------------------------------------------------
# Results framework
# --------------------------------------------------------------------------------------------------

OBJECTIVES = [
    (
        "OS1",
        None,
        "micro",
        "Améliorer la performance des entreprises sénégalaises en créant des opportunités de partenariat et "
        "d'apprentissage avec des entreprises et incubateurs belges",
        "Improve the performance of Senegalese companies by creating partnership and learning opportunities with Belgian "
        "companies and incubators",
    ),
    (
        "OS2",
        None,
        "macro",
        "Soutenir la co-construction de partenariats durables entre acteurs belges et sénégalais concernés par "
        "les questions de migration et de mobilité en capitalisant les expériences du projet",
        "Support the co-construction of sustainable partnerships between Belgian and Senegalese stakeholders involved in "
        "migration and mobility issues by capitalizing on the experiences of this project",
    ),
    (
        "R1",
        "OS1",
        "micro",
        "Des entreprises préparées effectuent une mobilité et nouent des partenariats",
        "Prepared companies travel and build partnerships",
    ),
    (
        "R2",
        "OS2",
        "meso",
        "Les structures d'appui (incubateurs) renforcent leur offre d'internationalisation",
        "Support structures strengthen their internationalisation services",
    ),
    (
        "R3",
        "OS2",
        "macro",
        "Le dialogue sur la gouvernance des migrations intègre la mobilité entrepreneuriale circulaire",
        "Migration governance dialogue includes entrepreneurial circular mobility",
    ),
]
#: code, objective, name, name_en, calculator, unit, disaggregations, baseline, target
#: What each demo indicator counts, as the annex of the PDF reports and the indicators page explain it.
DEFINITIONS = {
    "I1": (
        "Candidatures soumises aux appels du programme, toutes cohortes, qu'elles aient été jugées éligibles ou non.",
        "Applications submitted to the programme's calls, all cohorts, whether found eligible or not.",
    ),
    "I2": (
        "Candidatures retenues par le comité de sélection (une entreprise par candidature).",
        "Applications chosen by the selection committee (one company per application).",
    ),
    "I3": (
        "Entreprises dont au moins un voyage de mobilité en Belgique est terminé.",
        "Companies with at least one completed mobility trip to Belgium.",
    ),
    "I4": (
        "Entreprises belges différentes rencontrées en rendez-vous B2B pendant les mobilités (chacune comptée une fois).",
        "Different Belgian companies met in B2B meetings during the trips (each counted once).",
    ),
    "I5": (
        "Partenariats encore à un stade vivant (accord signé, première transaction ou actif) six mois après le retour "
        "de mobilité, parmi ceux dont le retour date d'au moins six mois.",
        "Partnerships still at a live stage (agreement signed, first transaction or active) six months after the return "
        "from the trip, among those whose return is at least six months old.",
    ),
    "I6": (
        "Candidat·es éligibles qui se déclarent membres de la diaspora sénégalaise en Belgique.",
        "Eligible applicants who declare themselves members of the Senegalese diaspora in Belgium.",
    ),
    "I7": (
        "Visas refusés sur l'ensemble des visas accordés ou refusés (les demandes en attente ne comptent pas).",
        "Visas refused out of all visas granted or refused (applications awaiting a decision are not counted).",
    ),
    "I8": (
        "Incubateurs et structures d'accompagnement sénégalais partenaires du programme.",
        "Senegalese incubators and support organisations partnering the programme.",
    ),
    "I9": (
        "Réunions du comité de pilotage tenues à ce jour.",
        "Steering committee meetings held to date.",
    ),
    "I10": (
        "Dépenses du programme (EUR) divisées par le nombre d'entrepreneur·es ayant effectué leur mobilité.",
        "Programme spending (EUR) divided by the number of entrepreneurs who completed their trip.",
    ),
}

INDICATORS = [
    (
        "I1",
        "R1",
        "Candidatures reçues",
        "Applications received",
        "funnel.applications",
        "nombre",
        ["cohort", "gender", "region", "diaspora"],
        0,
        300,
    ),
    (
        "I2",
        "R1",
        "Entreprises sélectionnées",
        "Companies selected",
        "funnel.selected",
        "nombre",
        ["cohort", "gender", "sector"],
        0,
        50,
    ),
    (
        "I3",
        "R1",
        "Entreprises ayant effectué la mobilité",
        "Companies that travelled",
        "funnel.travelled",
        "nombre",
        ["cohort", "gender", "region"],
        0,
        50,
    ),
    (
        "I4",
        "R1",
        "Entreprises belges distinctes rencontrées",
        "Distinct Belgian companies met",
        "mobility.belgian_companies_met",
        "nombre",
        [],
        0,
        150,
    ),
    (
        "I5",
        "OS1",
        "Partenariats actifs six mois après la mobilité",
        "Partnerships active six months after the trip",
        "partnerships.active_6m",
        "nombre",
        ["cohort", "sector"],
        0,
        20,
    ),
    (
        "I6",
        "R1",
        "Entrepreneur·es de la diaspora éligibles",
        "Eligible diaspora entrepreneurs",
        "diaspora.eligible",
        "nombre",
        ["gender"],
        0,
        25,
    ),
    ("I7", "R1", "Taux de refus de visa", "Visa refusal rate", "visa.refusal_rate", "%", ["cohort"], None, 10),
    ("I8", "R2", "Incubateurs sénégalais impliqués", "Senegalese incubators involved", "meso.incubators", "nombre", [], 0, 5),
    (
        "I9",
        "R3",
        "Réunions du comité de pilotage tenues",
        "Steering committee meetings held",
        "macro.committee_meetings",
        "nombre",
        [],
        0,
        6,
    ),
    ("I10", "OS1", "Coût par mobilité", "Cost per mobility", "efficiency.cost_per_mobility", "EUR", ["cohort"], None, None),
]

# --------------------------------------------------------------------------------------------------
# The evaluation (texts of the executive summary, August 2024; some long answers shortened)
# --------------------------------------------------------------------------------------------------

GRADES = [
    (
        "relevance",
        "A",
        "The PEM-WECCO project is very relevant for Senegal because it offers prospects for access to circular mobility "
        "for Senegalese economic actors, in an international context where African states aim to open legal channels for temporary or "
        "circular migration. It has demonstrated diverse internationalisation opportunities for Senegalese SMEs through partnerships with "
        "Belgian companies and organisations, while responding to the EU's strategies on migration governance. The involvement of several "
        "public stakeholders enriches its collaborative dimension; however, the objective of contributing to the dialogue on migration "
        "governance proved less realistic. The participation of the diaspora responds to an important concern of Senegal. With a high "
        "concentration of SMEs on the Dakar–Thiès axis, the territorialisation approach is less developed. The intervention logic is clear, "
        "coherent and realistic, despite some optimistic assumptions; risks are well analysed and mitigated.",
        {},
    ),
    (
        "coherence",
        "B",
        "PEM-WECCO is consistent with Enabel's entrepreneurship support interventions ('Inclusive Development' and 'Human "
        "Mobility' strategy). It benefited from the network of partner incubators and the expertise of Bond'innov. The collaboration with "
        "OVO and the incubators created synergies for (post-)mobility support. Planned synergies with other programmes and structures "
        "targeting SMEs remained limited due to time pressure (except for ADEPME and APIX).",
        {},
    ),
    (
        "effectiveness",
        "B",
        "See the findings per specific objective.",
        {
            "OS1": "A selection process reached entrepreneurs with management expertise, technicality and networks able to motivate Belgian "
            "companies. The Boostcamps, training and coaching organised by Bond'innov allowed 47 companies to prepare well for "
            "mobility and identify partnership opportunities. AFFORD's intervention in year 1 identified 21 eligible diaspora "
            "entrepreneurs, of whom only five are engaged in partnerships. Collaborations between Belgian and Senegalese incubators "
            "opened partnerships (1) in the creative and cultural industry and (2) in agri-food and water/sanitation. Success factors: "
            "the Boostcamps, the coaches' efforts to identify relevant Belgian partners, the economic mission (May 2023).",
            "OS2": "Collaborations between Senegalese and Belgian incubators enabled these structures to strengthen their services, "
            "particularly for internationalisation. The involvement of the Foreigners Office, Fedasil and good contacts with the "
            "Embassy enabled a better understanding of the migration framework.",
        },
    ),
    (
        "efficiency",
        "B",
        "Variable efficiency. The steering committee of 22 organisations, with strong representation of the Senegalese "
        "government and Belgian partners, highlights the focus on entrepreneurial circular migration. Human and financial resources were "
        "well used, despite relatively high costs. The team, based in Dakar except for the mobility and entrepreneurship expert, is "
        "competent and motivated but often overloaded, especially during cohort travel. Delays in the selection of cohort one and in "
        "access to visas pushed the mobilities of cohort two towards the end of the project. Monitoring and evaluation are adequate. Most "
        "of the expenditure took place in 2023.",
        {},
    ),
    (
        "sustainability",
        "C",
        "See the findings per specific objective.",
        {
            "OS1": "Partnerships between Senegalese and Belgian companies show clear signs of persistence thanks to mutual benefits and "
            "established relationships. However, post-mobility efforts were too short before the end of the project. The ability to "
            "mobilise expertise for feasibility, legal aspects and access to funding is crucial; framework contracts and a dedicated "
            "budget play a key role.",
            "OS2": "The sustainability of the internationalisation service offering is not yet assured: the support structures (SAE) still "
            "lack expertise and tools. The project influenced the debate on entrepreneurial circular migration, but its weak "
            "integration into the strategies of public organisations remains a challenge.",
        },
    ),
    (
        "impact",
        "B",
        "Although lasting impacts need time, the project established strong relationships of trust between partner "
        "companies. Partnerships offer prospects for the export of Senegalese products to Belgian (notably 'ethnic') markets, for the "
        "representation of Belgian companies in Senegal, for new products and services, and for professional training. Diaspora "
        "entrepreneurs increased their access to economic information and networks; Belgian companies expanded their presence in Senegal. "
        "Incubators and SAEIs exchanged tools and built international collaborations. The PEM model has been integrated into the new "
        "Belgium–Senegal bilateral portfolio (Sine-Saloum).",
        {},
    ),
]

QUESTIONS = [
    (
        "QE1",
        None,
        "Has PEM-WECCO contributed to the creation of added value for public actors, SAEIs and entrepreneurs in Senegal and Belgium? In what way? By which actors?",
        "Yes, through strategic and operational initiatives. Belgian and Senegalese public actors joined the steering committee and gave "
        "strategic feedback. ADEPME and APIX benefited from synergies with Belgian partners. AWEX, FIT and hub.brussels facilitated contacts "
        "with Belgian companies, legitimising the project. PEM-WECCO promoted circular migration at international events, opening "
        "discussions on entrepreneurial circular migration.",
        ["effectiveness", "impact"],
        ["I3", "I4"],
    ),
    (
        "QE2",
        None,
        "To what extent has the pilot approach to temporary mobility between economic operators from Senegal and Belgium contributed to the dialogue on migration governance between these two countries?",
        "The pilot strengthened the dialogue: through joint workshops and presentations at international forums, the project and AFFORD "
        "promoted the relevance of entrepreneurial mobility and the role of the Senegalese diaspora, while facilitating legal and orderly "
        "migration.",
        ["impact", "relevance"],
        ["I9"],
    ),
    (
        "QE3",
        None,
        "Was the intervention logic appropriate for achieving the objectives?",
        "Very appropriate: aligned with the policies of the EU, ICMPD and Belgium (GAMM, the EU Pact on Migration and Asylum, DGD's vision "
        "of migration as a lever for sustainable development).",
        ["relevance"],
        [],
    ),
    (
        "QE3.1",
        "QE3",
        "Was the intervention logic of the operation coherent, clear, and realistic in relation to its objectives and the Senegalese context?",
        "Coherent, clear and realistic: close supervision of companies where state support is limited, access to business visas for dynamic "
        "companies, attention to youth unemployment, and active participation of the diaspora.",
        ["relevance"],
        [],
    ),
    (
        "QE3.2",
        "QE3",
        "Did the chosen approach take sufficient account of previous experiences and the state of the art of knowledge acquired during similar operations?",
        "It integrated lessons from PALIM (Morocco) and THAMM; the concept of circular migration for entrepreneurs was new. Exchange of "
        "experience with PEM N'Zassa in Côte d'Ivoire reinforced the approach.",
        ["relevance", "coherence"],
        [],
    ),
    (
        "QE3.3",
        "QE3",
        "To what extent did the implementation (and not just the design) of the intervention provide for sufficient flexibility to adapt to a changing context?",
        "Substantial flexibility: the strict selection criteria (turnover, business status) were relaxed for the second cohort because too "
        "few candidates met them; support tools were improved after the first cohort; the schedule was adjusted after delays.",
        ["relevance", "efficiency"],
        ["I1", "I2"],
    ),
    (
        "QE3.4",
        "QE3",
        "Did the intervention logic explicitly mention the risks and assumptions? Were they specific, up-to-date, and still valid? Were risk management measures planned?",
        "Yes: low initial interest of Belgian companies (mitigated by coaching), visa refusal (assistance of a specialised agency and a "
        "detailed mobility plan), diversification of partnerships; in-house management allowed continuous adjustment.",
        ["relevance"],
        ["I7"],
    ),
    (
        "QE3.5",
        "QE3",
        "Were the adequacy of human and financial resources, the timing of activities adequate to achieve the specific objective of the operation?",
        "A robust initial budget; heavy workload of the team during cohort travel; budget adjustments; the extension obtained in October "
        "2023 absorbed the delays.",
        ["efficiency"],
        ["I10"],
    ),
    (
        "QE4",
        None,
        "Does the approach followed by the project sufficiently take into account the expectations, needs and capacities of the actors in the implementation of the objectives? If so, how? How can this approach be improved?",
        "Largely yes. Entrepreneurs receive targeted support; AWEX, FIT and hub.brussels facilitate business relationships. The inclusion of "
        "Belgian and Senegalese professional and sectoral organisations should be broadened.",
        ["effectiveness", "coherence"],
        [],
    ),
    (
        "QE4.1",
        "QE4",
        "Were the timetable and the set of activities realistic given the capacities of the stakeholders and the implementation arrangements?",
        "Initial delays in selecting the first cohort slowed the start; AFFORD's mobilisation of the diaspora was less effective; trips of "
        "both cohorts fell in the last year, in less convenient periods in Belgium.",
        ["efficiency"],
        ["I6"],
    ),
    (
        "QE4.2",
        "QE4",
        "Did the main stakeholders actively participate in the design of the intervention?",
        "Yes: AWEX, FIT, hub.brussels, Fedasil and the Foreigners Office; the COPIL chaired by the DCEF brought together donors (EU-INTPA, "
        "ICMPD) and the Belgian authorities.",
        ["relevance"],
        ["I9"],
    ),
    (
        "QE4.3",
        "QE4",
        "Were the roles and responsibilities of all partners clearly defined and understood by all?",
        "Several shortcomings despite a clear initial definition: the Belgian agencies played a less prominent role than expected; "
        "AFFORD–Bond'innov coordination lacked synergy; ADEPME could have been more active; VOKA, UWE, UCM, UNIZO were weakly involved; "
        "three years were too short.",
        ["coherence"],
        [],
    ),
    (
        "QE5",
        None,
        "Did the PEM have any unintended effects (positive or negative)? Which ones?",
        "Positive: unexpected collaborations between Senegalese companies, exchanges with the diaspora, and an impetus towards formalisation "
        "with APIX or ADEPME even for MSMEs that were not selected.",
        ["impact"],
        [],
    ),
    (
        "QE5.1",
        "QE5",
        "Are there any multiplier effects, whether observable or anticipated? Have any elements or aspects of the transaction been observed to have been transferred or integrated by other parties? If so, which ones?",
        "Early signs of replication of the new business and service models; interest of other donors; the PEM model has been integrated "
        "into the new Belgium–Senegal bilateral portfolio (Sine-Saloum).",
        ["impact", "sustainability"],
        [],
    ),
    (
        "QE5.2",
        "QE5",
        "Has the complementarity, coordination and coherence of the partners' actions encouraged synergies and/or contributed to its potential impact?",
        "Yes: five local incubators for the initial selection, Bond'innov's expertise, late collaborations with OVO for post-mobility, "
        "sub-projects of the incubators. Synergies with other initiatives remained limited.",
        ["coherence"],
        ["I8"],
    ),
    (
        "QE5.3",
        "QE5",
        'Can we identify effects of marginalization of certain target groups (e.g. "capture elite")?',
        "The project mainly attracted highly educated entrepreneurs and companies established for at least two years; visa requirements "
        "based on minimum income and the formal status of companies contributed to marginalising the less experienced, notably in the "
        "cultural and creative industry.",
        ["relevance", "impact"],
        ["I1", "I2"],
    ),
    (
        "QE6",
        None,
        "How could the gender dimension be integrated into projects of this type in the future in order to reduce gender inequalities?",
        "By partnering with women entrepreneurs' organisations from sourcing to implementation, to address access to finance, networking "
        "and skills.",
        ["relevance"],
        [],
    ),
    (
        "QE7",
        None,
        "How could the environmental aspect be taken into account for issues related to environmental protection?",
        "Adopt a systematic approach: environmental criteria in the selection, promotion of partnerships with a positive environmental "
        "impact (Smart City/Smart Building, recycling, biogas from food waste).",
        ["relevance", "sustainability"],
        [],
    ),
]

CONCLUSIONS = [
    (
        "C1",
        "A selection of entrepreneurs that can be improved",
        "While the project initially selected entrepreneurs with too little experience (cohort 1), the new selection criteria made it "
        "possible to select entrepreneurs with maturity, a product appreciated by the Senegalese market, a more solid financial base, "
        "technical skills and a solid commercial network – basic conditions for good internationalisation.",
    ),
    (
        "C2",
        "Entrepreneurial support and strategic analysis which constitute added values",
        "Bond'innov's support met the entrepreneurs' expectations to analyse and make their business model more coherent and viable. With "
        "Senegalese coaches, the strengths and challenges of each company were analysed to formulate expectations regarding mobility and "
        "partner profiles. Specific aspects of international trade could have received more attention.",
    ),
    (
        "C3",
        "Necessary support for the Senegalese diaspora",
        "Given the attention the Government of Senegal pays to the diaspora, their participation in PEM-WECCO is very useful and effective "
        "and should be strengthened.",
    ),
    (
        "C4",
        "Unequal communication hinders cooperation with Belgian companies",
        "Communication with Belgian companies was less pronounced than with applicants; they did not always understand their role, which "
        "slowed down rapid and favourable responses to invitations sent by Senegalese companies.",
    ),
    (
        "C5",
        "Mobility of Senegalese companies that offers opportunities for joint development and investment, while promoting learning about markets, regulations, and communication systems",
        "The mobility of the 47 Senegalese companies (cohorts 1 and 2) allowed them to meet about 130 Belgian companies. Four companies "
        "supported by OVO and ten by the incubators in agri-food/water/sanitation benefited from mobility. Post-mobility support helped "
        "solidify partnerships, though its sustainability is uncertain without continued support from ADEPME and APIX.",
    ),
    (
        "C6",
        "Internationalization that strengthens the capacities of Senegalese incubators, particularly in sectors such as the creative industry",
        "The PEM strengthened five incubators through an exchange trip to Belgium and collaboration sub-projects with Belgian incubators, "
        "showing the interest of a sectoral approach. It is too early to see a clear effect on the Belgian–Senegalese ecosystem.",
    ),
    (
        "C7",
        "Strengthened trust and cooperation in legal migration between Belgium and Senegal",
        "The PEM facilitated access to business visas through training and a specialised office, strengthened trust between the Belgian "
        "and Senegalese authorities and contributed to a positive narrative on circular migration.",
    ),
    (
        "C8",
        "A high cost but promising results to be valued",
        "Encouraging results despite high costs and delays caused by external factors. The team mobilised resources well but did not "
        "firmly anchor the project in both ecosystems; a sectoral focus would have concentrated resources better.",
    ),
]

#: code, title, text, conclusions, targeted actors, levels, priority, type (as in the summary's tables)
RECOMMENDATIONS = [
    (
        "R1",
        "Develop and promote the concept of 'Business Mobility Readiness'",
        "Refine the selection of candidates for circular mobility based on the concrete results of PEM partnerships while integrating a "
        "critical reflection on the effect of the criteria on the participation of women. Promote the BMR concept.",
        ["C1"],
        "PEM, Enabel Brussels Team, ICMPD",
        [1, 3],
        "medium",
        "strategic",
    ),
    (
        "R2",
        "Optimizing pre-mobility support for Senegalese companies",
        "Work with the SAEs to help companies develop their business model, strategy and management (group sessions or individual "
        "coaching); provide tools to the SAEs and train their managers.",
        ["C2"],
        "PEM Team, Research-Action Team, Implementing partners, Enabel Brussels",
        [1, 3],
        "short",
        "operational",
    ),
    (
        "R3",
        "Strengthening the international engagement of the entrepreneurial diaspora",
        "Facilitate partnerships between the entrepreneurial diaspora and SMEs in their country of origin and strengthen the capacities of "
        "the diaspora on internationalisation and on the ecosystems of both countries.",
        ["C3"],
        "PEM team in coordination with AFFORD, ICMPD, Enabel Brussels",
        [1, 3],
        "short",
        "strategic",
    ),
    (
        "R4",
        "Strengthen communication and support for Belgian companies around the partnership with Senegalese SMEs",
        "Communicate more regularly with the business world in Belgium and organise specific support for Belgian companies within the "
        "framework of partnerships.",
        ["C4", "C5", "C6", "C7", "C8"],
        "PEM Team, Inclusive Development Team of Enabel Brussels",
        [1, 3],
        "short",
        "operational",
    ),
    (
        "R5",
        "Provide further support for post-mobility",
        "Provide post-mobility support with public and private organisations and SAEs, and collaborate with organisations of both "
        "ecosystems that support and finance partnership projects on a legal, administrative and financial level.",
        ["C5"],
        "PEM Team and Enabel Brussels, ADEPME, APIX, SAE",
        [1, 3],
        "medium",
        "strategic",
    ),
    (
        "R6",
        "Strengthening the sectoral approach and the role of SAEs/incubators",
        "Capitalise on the PEM experience together with PEM N'Zassa and disseminate it to projects for SMEs or SAEs focusing on specific "
        "sectors; strengthen these SAEs and incubators to support customers ready for circular mobility.",
        ["C6", "C7", "C8"],
        "PEM Team and Enabel Brussels in coordination with ADEPME, APIX, SAE",
        [1, 3],
        "medium",
        "operational",
    ),
    (
        "R7",
        "Strengthening migration governance",
        "Facilitate the integration of migration strategies and policies with policies for economic relations and international "
        "cooperation. Strengthen the commitment of policy makers in entrepreneurial circular migration, intensify contacts with the DGSE "
        "for the diaspora, and establish a consultation framework on migration and entrepreneurship in Senegal.",
        ["C7"],
        "Enabel Brussels in coordination with ADEPME, APIX, SAE, PEM Team, EU and ICMPD",
        [3, 4],
        "medium",
        "strategic",
    ),
    (
        "R8",
        "Strengthening the 'Gender' and 'Environment' dimensions",
        "Involve women entrepreneurs' organisations at every stage of the mobility process, from sourcing to mobilisation, taking into "
        "account their conditions of access to financing, networking and skills.",
        ["C7"],
        "PEM Team, Enabel and Brussels, in coordination with ADEPME, APIX, SAE, EU and ICMPD",
        [1, 3],
        "medium",
        "operational",
    ),
]

MANAGEMENT_RESPONSES = {
    "R1": (
        ResponseDecision.ACCEPTED,
        "Formaliser le concept BMR dans la note de capitalisation et revoir les critères de sélection.",
        "Équipe PEM et Enabel Bruxelles",
        ResponseStatus.IN_PROGRESS,
    ),
    "R3": (
        ResponseDecision.ACCEPTED,
        "Intégrer un volet diaspora dans les nouveaux projets Belgique–Sénégal.",
        "Équipe PEM",
        ResponseStatus.PLANNED,
    ),
    "R5": (
        ResponseDecision.PARTLY,
        "Conventions de suivi avec l'ADEPME et l'APIX ; budget post-mobilité limité à la durée restante.",
        "Équipe PEM",
        ResponseStatus.IN_PROGRESS,
    ),
    "R7": (
        ResponseDecision.PARTLY,
        "Porter la question au dialogue politique ; hors du seul ressort du projet.",
        "Enabel Bruxelles",
        ResponseStatus.PLANNED,
    ),
}
#: The programme team's responses are written in French; their English versions.
RESPONSES_EN = {
    "R1": "Formalise the BMR concept in the capitalisation note and review the selection criteria.",
    "R3": "Include a diaspora component in the new Belgium–Senegal projects.",
    "R5": "Follow-up agreements with ADEPME and APIX; post-mobility budget limited to the remaining duration.",
    "R7": "Raise the question in the policy dialogue; beyond the project's own remit.",
}


def _both(field: str, english: str) -> dict[str, str]:
    """`<field>_fr` and `<field>_en` of a text of the (English) source summary: its French version comes from
    reporting/demo_fr.py, which the demo tests hold complete."""
    return {f"{field}_fr": FRENCH[english], f"{field}_en": english} if english else {f"{field}_fr": "", f"{field}_en": ""}


LESSONS = [
    (
        "L1",
        "Optimizing impacts through a systemic approach and extended project duration to effectively influence migration governance",
        "The systemic approach (micro, meso, macro) achieves results for companies and support organisations; changing governance needs a "
        "longer duration (five years or more) and other international policy actors. Stakeholders commit when the steering committee's "
        "work is linked to their own ambitions. A company strategy and technical and financial maturity are a 'sine qua non' condition. "
        "Combine a group approach with individual coaching. Gender and environment can be taken into account through selection and "
        "implementation. Migration governance is influenced by trends beyond the scope of projects and countries.",
    ),
    (
        "L2",
        "Optimization of entrepreneurial support: the need for more rigorous selection and preparation of companies, better clarity of roles between coaches, and in-depth knowledge of the Belgian market",
        "Coaching teams were slowed down by administrative burden and process changes; coaching was beneficial but sometimes too short. "
        "The diversity of coaches was an asset but roles lacked clarity. Some entrepreneurs were not ready for sustainable "
        "internationalisation, and their knowledge of the Belgian market was often insufficient.",
    ),
]


SUMMARY = (
    "Final review of the pilot project for business mobility between Belgium and Senegal (Navision code SEN 20001). "
    "The evaluation assesses the project against the DAC criteria and the theory of change, and analyses its design to inform "
    "replication."
)
METHODOLOGY = (
    "Evaluation matrix; document review; preparatory meetings; interviews with public partners, companies, coaches and "
    "support structures in Senegal and Belgium; field mission to Senegal from 3 to 7 June 2024 with three focus groups."
)


def load(rng: random.Random, *, demo: DemoCohorts, orgs: dict) -> Evaluation:
    programme = demo.programme
    objectives = {}
    for order, (code, parent, level, title, title_en) in enumerate(OBJECTIVES, start=1):
        objectives[code] = ResultObjective.objects.create(
            programme=programme,
            code=code,
            title_fr=title,
            title_en=title_en,
            level=level,
            parent=objectives.get(parent),
            order=order,
        )
    indicators = {}
    for order, (code, objective, name, name_en, calculator, unit, disaggregations, baseline, _target) in enumerate(
        INDICATORS, start=1
    ):
        indicators[code] = Indicator(
            programme=programme,
            objective=objectives[objective],
            code=code,
            name_fr=name,
            name_en=name_en,
            definition_fr=DEFINITIONS[code][0],
            definition_en=DEFINITIONS[code][1],
            calculator=calculator,
            direction=IndicatorDirection.LOWER_IS_BETTER
            if calculator in LOWER_IS_BETTER_CALCULATORS
            else IndicatorDirection.HIGHER_IS_BETTER,
            unit=unit,
            disaggregations=disaggregations,
            source="",  # computed: the reports say "platform data" in their own language
            order=order,
            baseline=baseline,
            baseline_year=2021 if baseline is not None else None,
        )
    Indicator.objects.bulk_create(indicators.values())
    IndicatorTarget.objects.bulk_create(
        [
            IndicatorTarget(
                indicator=indicators[code], period_label="Fin du projet", period_end=datetime.date(2024, 9, 30), value=target
            )
            for code, *_, target in INDICATORS
            if target is not None
        ]
    )

    evaluation = Evaluation.objects.create(
        programme=programme,
        title_fr="Évaluation finale du projet pilote PEM-WECCO",
        title_en="Final evaluation of the PEM-WECCO pilot project",
        evaluator=orgs["cota"],
        period_start=datetime.date(2021, 10, 1),
        period_end=datetime.date(2024, 6, 30),
        field_mission_start=datetime.date(2024, 6, 3),
        field_mission_end=datetime.date(2024, 6, 7),
        report_date=datetime.date(2024, 8, 30),
        **_both("summary", SUMMARY),
        **_both("methodology", METHODOLOGY),
    )
    grades = [CriterionGrade(evaluation=evaluation, criterion=c, grade=g, **_both("findings", text)) for c, g, text, _ in GRADES]
    bulk_create_with_history(grades, CriterionGrade, default_change_reason=HISTORY_REASON, default_date=RECORDED_AT)
    CriterionFinding.objects.bulk_create(
        [
            CriterionFinding(grade=grade, objective=objective, **_both("text", text))
            for grade, (_, _, _, split) in zip(grades, GRADES)
            for objective, text in split.items()
        ]
    )

    all_sources = [DataSource.DOCUMENTS, DataSource.INTERVIEWS, DataSource.FOCUS_GROUPS]
    questions = {}
    for order, (code, parent, question, answer, criteria, indicator_codes) in enumerate(QUESTIONS, start=1):
        sources = all_sources + ([DataSource.PLATFORM] if indicator_codes else [])
        questions[code] = EvaluationQuestion.objects.create(
            evaluation=evaluation,
            code=code,
            parent=questions.get(parent),
            **_both("question", question),
            **_both("answer", answer),
            criteria=criteria,
            sources=sources,
            order=order,
        )
        if indicator_codes:
            questions[code].indicators.set([indicators[c] for c in indicator_codes])

    conclusions = {}
    for order, (code, title, text) in enumerate(CONCLUSIONS, start=1):
        conclusions[code] = Conclusion(
            evaluation=evaluation, code=code, **_both("title", title), **_both("text", text), order=order
        )
    Conclusion.objects.bulk_create(conclusions.values())
    recommendations = []
    for order, (code, title, text, related, actors, levels, priority, kind) in enumerate(RECOMMENDATIONS, start=1):
        recommendation = Recommendation(
            evaluation=evaluation,
            code=code,
            **_both("title", title),
            **_both("text", text),
            **_both("targeted_actors", actors),
            levels=levels,
            priority=priority,
            type=kind,
            order=order,
        )
        recommendation.full_clean(exclude=["evaluation"])
        recommendations.append((recommendation, related))
    Recommendation.objects.bulk_create([r for r, _ in recommendations])
    Recommendation.conclusions.through.objects.bulk_create(
        [
            Recommendation.conclusions.through(recommendation_id=r.pk, conclusion_id=conclusions[c].pk)
            for r, related in recommendations
            for c in related
        ]
    )
    responses = [
        ManagementResponse(
            recommendation=r,
            decision=decision,
            action_fr=action,
            action_en=RESPONSES_EN[r.code],
            owner=owner,
            deadline=datetime.date(2024, 12, 31),
            status=status,
        )
        for r, _ in recommendations
        if r.code in MANAGEMENT_RESPONSES
        for decision, action, owner, status in [MANAGEMENT_RESPONSES[r.code]]
    ]
    ManagementResponse.objects.bulk_create(responses)
    for response in responses:
        response.updated_at = RECORDED_AT
    ManagementResponse.objects.bulk_update(responses, ["updated_at"])
    ManagementResponse.history.bulk_history_create(responses, default_change_reason=HISTORY_REASON, default_date=RECORDED_AT)
    Lesson.objects.bulk_create(
        [
            Lesson(evaluation=evaluation, code=code, **_both("title", title), **_both("text", text), order=order)
            for order, (code, title, text) in enumerate(LESSONS, start=1)
        ]
    )
    return evaluation


# --------------------------------------------------------------------------------------------------
# Figures counted from the rows, and reset
# --------------------------------------------------------------------------------------------------


def demo_figures(programme) -> dict:
    """The headline figures of a programme, each counted from row-level records."""
    applications = Application.objects.filter(cohort__programme=programme)
    eligible_diaspora = applications.eligible().filter(diaspora_condition())
    figures = {
        "applications_per_cohort": {
            c["cohort__name"]: c["n"]
            for c in applications.values("cohort__number", "cohort__name").annotate(n=Count("pk")).order_by("cohort__number")
        },
        "eligible": applications.eligible().count(),
        "selected": applications.selected().count(),
        "travelled": Trip.objects.filter(application__cohort__programme=programme, status=TripStatus.COMPLETED).count(),
        "belgian_companies_met": B2BMeeting.objects.filter(
            trip__application__cohort__programme=programme, organisation__kind=OrganisationKind.BELGIAN_COMPANY
        )
        .values("organisation")
        .distinct()
        .count(),
        "diaspora_eligible": eligible_diaspora.values("entrepreneur").distinct().count(),
        "diaspora_with_partnership": eligible_diaspora.filter(partnerships__isnull=False)
        .values("entrepreneur")
        .distinct()
        .count(),
        "committee_members": CommitteeMembership.objects.filter(programme=programme).count(),
        "incubators": ProgrammePartner.objects.filter(
            programme=programme, role=ProgrammePartnerRole.INCUBATOR, organisation__country="SN"
        ).count(),
        "coaching_sessions": CoachingSession.objects.filter(application__cohort__programme=programme).count(),
        "coaching_hours": (
            CoachingSession.objects.filter(application__cohort__programme=programme).aggregate(m=Sum("duration_minutes"))["m"]
            or 0
        )
        // 60,
        "visa_refused": VisaFile.objects.filter(application__cohort__programme=programme, status=VisaStatus.REFUSED).count(),
        "partnerships_per_stage": {
            row["stage"]: row["n"]
            for row in Partnership.objects.filter(application__cohort__programme=programme)
            .values("stage")
            .annotate(n=Count("pk"))
        },
    }
    figures["partnerships_per_stage"] = {s: figures["partnerships_per_stage"].get(s, 0) for s in PartnershipStage.values}
    return figures


def figures_lines(programme, *, short: bool = False) -> list[str]:
    f = demo_figures(programme)
    lines = [_("Programme %(name)s :") % {"name": programme.name}]
    for cohort, n in f["applications_per_cohort"].items():
        lines.append(_("  candidatures – %(cohort)s : %(n)s") % {"cohort": cohort, "n": n})
    if short:
        return lines + [_("  éligibles : %(n)s") % {"n": f["eligible"]}]
    rows = [
        (_("éligibles"), f["eligible"]),
        (_("sélectionnées"), f["selected"]),
        (_("voyages effectués"), f["travelled"]),
        (_("entreprises belges distinctes rencontrées"), f["belgian_companies_met"]),
        (_("diaspora éligible"), f["diaspora_eligible"]),
        (_("diaspora avec partenariat"), f["diaspora_with_partnership"]),
        (_("membres du comité de pilotage"), f["committee_members"]),
        (_("incubateurs sénégalais"), f["incubators"]),
        (_("séances de coaching"), f["coaching_sessions"]),
        (_("heures de coaching"), f["coaching_hours"]),
        (_("visas refusés"), f["visa_refused"]),
    ]
    lines += [f"  {label} : {value}" for label, value in rows]
    lines.append(
        _("  partenariats par étape : ")
        + ", ".join(f"{PartnershipStage(stage).label} {n}" for stage, n in f["partnerships_per_stage"].items())
    )
    return lines


def delete_demo(programmes) -> None:
    """Delete the `reporting` rows of the demo programmes, history included."""
    evaluations = Evaluation.objects.filter(programme__in=programmes)
    grade_ids = list(CriterionGrade.objects.filter(evaluation__in=evaluations).values_list("pk", flat=True))
    response_ids = list(
        ManagementResponse.objects.filter(recommendation__evaluation__in=evaluations).values_list("pk", flat=True)
    )
    evaluations.delete()
    Indicator.objects.filter(programme__in=programmes).delete()
    ResultObjective.objects.filter(programme__in=programmes).delete()
    ReportJob.objects.filter(programme__in=programmes).delete()
    CriterionGrade.history.filter(id__in=grade_ids).delete()
    ManagementResponse.history.filter(id__in=response_ids).delete()
