package retreaver_test

import (
	"encoding/json"
	"fmt"
	"log"
	"maps"
	"slices"

	"github.com/retreaver-go/retreaver"
)

// Sum revenue per campaign. Amounts come in every shape the API writes them; a
// null revenue adds nothing, and a campaign whose calls all had null revenue stays
// absent, unlike one that earned 0.00.
func ExampleMoney_Add() {
	var calls []struct {
		CID     string          `json:"cid"`
		Revenue retreaver.Money `json:"revenue"`
	}
	err := json.Unmarshal([]byte(`[
		{"cid": "spring", "revenue": "0.08"},
		{"cid": "spring", "revenue": 5.0},
		{"cid": "spring", "revenue": null},
		{"cid": "summer", "revenue": 1e3},
		{"cid": "summer", "revenue": "-0.10"},
		{"cid": "autumn", "revenue": "0.00"},
		{"cid": "winter", "revenue": null}
	]`), &calls)
	if err != nil {
		log.Fatal(err)
	}

	revenue := map[string]retreaver.Money{}
	var total retreaver.Money
	for _, c := range calls {
		revenue[c.CID] = revenue[c.CID].Add(c.Revenue)
		total = total.Add(c.Revenue)
	}
	for _, cid := range slices.Sorted(maps.Keys(revenue)) {
		if r := revenue[cid]; r.IsZero() {
			fmt.Printf("%s: no revenue reported\n", cid)
		} else {
			fmt.Printf("%s: %s\n", cid, r)
		}
	}
	fmt.Println("total:", total)
	// Output:
	// autumn: 0.00
	// spring: 5.08
	// summer: 999.90
	// winter: no revenue reported
	// total: 1004.98
}

// Amounts in whole cents: a half cent goes to the even cent.
func ExampleMoney_Cents() {
	for _, s := range []string{"12.34", "0.125", "0.135", "-0.125", "0.1251", "5E-2", "1e3"} {
		cents, err := retreaver.MustMoney(s).Cents()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-6s is %6d cents, %s\n", s, cents, retreaver.MoneyFromCents(cents))
	}
	// Output:
	// 12.34  is   1234 cents, 12.34
	// 0.125  is     12 cents, 0.12
	// 0.135  is     14 cents, 0.14
	// -0.125 is    -12 cents, -0.12
	// 0.1251 is     13 cents, 0.13
	// 5E-2   is      5 cents, 0.05
	// 1e3    is 100000 cents, 1000.00
}
