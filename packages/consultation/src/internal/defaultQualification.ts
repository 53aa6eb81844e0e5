import type { QualificationSettings } from "../ConsultationConfig.js"

/** The prior system's numbers and our keyword lists: what `config/qualification.yml` ships with. */
export const DEFAULT_QUALIFICATION: QualificationSettings = {
  sizeCategories: { smallBelowCm2: 50, mediumBelowCm2: 150, largeBelowCm2: 300 },
  categoryBumps: {
    coverUp: true,
    highComplexity: true,
    hardPlacements: [
      "ribs",
      "rib",
      "rib cage",
      "ribcage",
      "stomach",
      "side",
      "spine",
      "back",
      "full back",
      "sleeve",
      "full sleeve",
      "thigh",
      "thighs"
    ]
  },
  xlDays: {
    bands: [
      { belowCm2: 350, days: 1.5 },
      { belowCm2: 500, days: 2 },
      { belowCm2: 700, days: 2.5 }
    ],
    otherwiseDays: 3,
    addForCoverUp: 0.5,
    addForHighComplexity: 0.5,
    addForHardPlacement: 0.5,
    minDays: 1,
    maxDays: 4
  },
  depositsPence: { small: 15000, medium: 15000, large: 20000, xlPerDay: 20000 },
  budgetFloorPence: 5000,
  regions: [
    { name: "UK", minimumBudgetPence: 40000, countries: ["United Kingdom"] },
    {
      name: "EUROPE",
      minimumBudgetPence: 50000,
      countries: [
        "Austria",
        "Belgium",
        "Bulgaria",
        "Croatia",
        "Cyprus",
        "Czechia",
        "Denmark",
        "Estonia",
        "Finland",
        "France",
        "Germany",
        "Greece",
        "Hungary",
        "Ireland",
        "Italy",
        "Latvia",
        "Lithuania",
        "Luxembourg",
        "Malta",
        "Netherlands",
        "Poland",
        "Portugal",
        "Romania",
        "Slovakia",
        "Slovenia",
        "Spain",
        "Sweden",
        "Switzerland",
        "Norway",
        "Iceland",
        "Liechtenstein"
      ]
    }
  ],
  defaultRegion: { name: "ROW", minimumBudgetPence: 60000 },
  studioCities: [],
  tourSchedule: [],
  maxParseFailures: 3,
  keywords: {
    optOut: {
      wholeMessage: ["stop", "unsubscribe", "opt out", "optout", "stop all", "stop messages"],
      anywhere: [
        "unsubscribe",
        "opt me out",
        "stop messaging me",
        "stop texting me",
        "stop contacting me",
        "do not contact me",
        "don't contact me"
      ]
    },
    optIn: {
      wholeMessage: ["start", "resume", "continue", "yes", "unstop", "opt in"],
      anywhere: []
    },
    human: {
      wholeMessage: ["human", "person", "agent", "artist", "real person", "talk to someone"],
      anywhere: [
        "talk to someone",
        "speak to someone",
        "speak with someone",
        "talk to a human",
        "speak to a human",
        "talk to a person",
        "speak to a person",
        "talk to a real person",
        "speak to a real person",
        "real person",
        "talk to the artist",
        "speak to the artist",
        "speak with the artist"
      ]
    },
    refund: {
      wholeMessage: [],
      anywhere: ["refund", "refunds", "refunded", "money back", "chargeback"]
    },
    dataDeletion: {
      wholeMessage: [],
      anywhere: [
        "delete my data",
        "delete data",
        "remove my data",
        "erase my data",
        "delete my details",
        "remove my details",
        "delete my information",
        "gdpr",
        "right to be forgotten"
      ]
    },
    coverUp: {
      wholeMessage: [],
      anywhere: [
        "cover up",
        "coverup",
        "rework",
        "re work",
        "touch up",
        "touchup",
        "blast over",
        "blastover",
        "cover an old tattoo",
        "cover my old tattoo",
        "cover an existing tattoo"
      ]
    },
    priceNegotiation: {
      wholeMessage: [],
      anywhere: [
        "discount",
        "discounts",
        "cheaper",
        "lower price",
        "lower the price",
        "reduce the price",
        "best price",
        "negotiate",
        "negotiable",
        "haggle",
        "mates rates",
        "mate's rates",
        "price match",
        "any deals"
      ]
    },
    restart: {
      wholeMessage: ["restart", "start over", "start again", "reset", "begin again"],
      anywhere: []
    }
  }
}
